import { createSupernet, registerGradients } from '@supernas/elastic';
import { crossEntropyWithLabelSmoothing } from '@supernas/losses';
import { maxArch, minArch } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { NonFiniteLossError } from './errors.js';
import {
  isDecayedParameter,
  resizeBatch,
  type SandwichStepConfig,
  sandwichStep,
} from './sandwich-step.js';
import { Sgd } from './sgd.js';
import { microSpace } from './test-utils/micro.js';

const config: SandwichStepConfig = {
  labelSmoothing: 0.1,
  dropout: 0,
  dropConnect: 0,
  gradClipValue: 1,
  distillation: { kind: 'alpha', alphaMin: -1, alphaMax: 1, clip: 5 },
};

beforeAll(async () => {
  await registerGradients();
  await tf.setBackend('cpu');
});

function fixedBatch(): { images: tf.Tensor4D; labels: tf.Tensor1D } {
  return tf.tidy(() => {
    const labels = tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32');
    const rows = tf.reshape(tf.range(0, 12), [1, 12, 1, 1]);
    const top = tf.cast(tf.less(rows, 6), 'float32');
    const pattern = tf.stack([top, tf.sub(1, top)]) as tf.Tensor5D;
    const images = tf.reshape(tf.gather(pattern, labels), [8, 12, 1, 1]);
    return { images: tf.tile(images, [1, 1, 12, 1]) as tf.Tensor4D, labels };
  });
}

describe('sandwichStep', () => {
  it('lowers the loss of every subnet on a batch it keeps seeing', async () => {
    const supernet = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 1 });
    const optimizer = new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-5 });
    const { images, labels } = fixedBatch();
    const before = tf.memory().numTensors;
    const archs = [maxArch(microSpace), minArch(microSpace)];
    const minLoss = () =>
      tf.tidy(() => {
        const logits = supernet.apply(resizeBatch(images, 8), archs[1]!, { training: true });
        return crossEntropyWithLabelSmoothing(logits, labels, { smoothing: 0 }).dataSync()[0]!;
      });
    const minLossBefore = minLoss();
    const first = await sandwichStep({
      supernet,
      optimizer,
      archs,
      images,
      labels,
      learningRate: 0.05,
      step: 0,
      seed: 0,
      config,
    });
    let last = first;
    for (let step = 1; step < 12; step++) {
      last = await sandwichStep({
        supernet,
        optimizer,
        archs,
        images,
        labels,
        learningRate: 0.05,
        step,
        seed: step,
        config,
      });
    }
    expect(first.map((entry) => entry.role)).toEqual(['max', 'min']);
    expect(last[0]!.loss).toBeLessThan(first[0]!.loss * 0.7);
    // The min subnet learns through distillation alone: its loss on the labels falls too.
    expect(minLoss()).toBeLessThan(minLossBefore * 0.7);
    // Only the momentum buffers were added: one per parameter that received a gradient.
    const buffers = optimizer.getWeights().length;
    expect(buffers).toBeGreaterThan(supernet.trainableNames.length / 2);
    expect(tf.memory().numTensors).toBe(before + buffers);
    tf.dispose([images, labels]);
    optimizer.dispose();
    supernet.dispose();
  });

  it('throws NonFiniteLossError naming the step and subnet, leaving the weights untouched', async () => {
    const supernet = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 2 });
    const optimizer = new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 0 });
    const { images: clean, labels } = fixedBatch();
    const images = tf.tidy(() => tf.mul(clean, tf.scalar(Number.NaN)) as tf.Tensor4D);
    const snapshot = supernet.trainableNames.map((name) =>
      Array.from(supernet.variables.get(name)!.dataSync()),
    );
    const before = tf.memory().numTensors;
    const error = await sandwichStep({
      supernet,
      optimizer,
      archs: [maxArch(microSpace), minArch(microSpace)],
      images,
      labels,
      learningRate: 0.1,
      step: 7,
      seed: 0,
      config,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as NonFiniteLossError).message).toMatch(
      /Non-finite loss NaN at step 7 in subnet 0 \(max, resolution 12/,
    );
    expect(tf.memory().numTensors).toBe(before);
    const after = supernet.trainableNames.map((name) =>
      Array.from(supernet.variables.get(name)!.dataSync()),
    );
    expect(after).toEqual(snapshot);
    tf.dispose([images, clean, labels]);
    optimizer.dispose();
    supernet.dispose();
  });
});

describe('isDecayedParameter', () => {
  it('decays conv and linear weights but not BN affine parameters or biases', () => {
    expect(isDecayedParameter('first_conv.conv.weight')).toBe(true);
    expect(isDecayedParameter('classifier.linear.linear.weight')).toBe(true);
    expect(isDecayedParameter('first_conv.bn.bn.weight')).toBe(false);
    expect(isDecayedParameter('blocks.0.mobile_inverted_conv.depth_conv.bn.bn.weight')).toBe(false);
    expect(isDecayedParameter('classifier.linear.linear.bias')).toBe(false);
  });
});
