import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropyWithLabelSmoothing } from './cross-entropy-with-label-smoothing.js';
import { LossArgumentError } from './loss-argument-error.js';
import {
  finiteDifferenceGradient,
  maxScaledError,
  seededLogits,
  smoothedCrossEntropy64,
} from './test-utils/float64-reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function oneHotRows(labels: number[], numClasses: number): Float64Array {
  const rows = new Float64Array(labels.length * numClasses);
  labels.forEach((label, n) => {
    rows[n * numClasses + label] = 1;
  });
  return rows;
}

describe('crossEntropyWithLabelSmoothing', () => {
  it.each([
    {
      name: '10 classes, smoothing 0.1',
      numClasses: 10,
      labels: [3, 0, 9, 5],
      scale: 3,
      smoothing: 0.1,
    },
    {
      name: '1000 classes, smoothing 0.1',
      numClasses: 1000,
      labels: [999, 0, 512],
      scale: 5,
      smoothing: 0.1,
    },
    {
      name: 'extreme logits, no smoothing',
      numClasses: 20,
      labels: [1, 19, 7],
      scale: 50,
      smoothing: 0,
    },
  ])(
    'matches float64 values and finite differences: $name',
    ({ numClasses, labels, scale, smoothing }) => {
      const logits = seededLogits(numClasses, labels.length * numClasses, scale);
      const logitsTensor = tf.tensor2d(logits, [labels.length, numClasses]);
      const labelsTensor = tf.tensor1d(labels, 'int32');
      const before = tf.memory().numTensors;
      const value = crossEntropyWithLabelSmoothing(logitsTensor, labelsTensor, { smoothing });
      const gradient = tf.grad((z: tf.Tensor) =>
        crossEntropyWithLabelSmoothing(z, labelsTensor, { smoothing }),
      )(logitsTensor);
      const actualValue = value.dataSync()[0] as number;
      const actualGradient = gradient.dataSync();
      tf.dispose([value, gradient]);
      expect(tf.memory().numTensors).toBe(before);
      const targets = oneHotRows(labels, numClasses);
      const expected = smoothedCrossEntropy64(logits, targets, numClasses, smoothing);
      expect(Math.abs(actualValue - expected)).toBeLessThanOrEqual(1e-4 * expected + 1e-6);
      const numeric = finiteDifferenceGradient(
        (point) => smoothedCrossEntropy64(point, targets, numClasses, smoothing),
        logits,
        1e-4,
        logits.length > 200 ? 7 : 1,
      );
      expect(maxScaledError(actualGradient, numeric)).toBeLessThan(1e-4);
      tf.dispose([logitsTensor, labelsTensor]);
    },
  );

  it('gives the same loss for class indices and one-hot targets', () => {
    const logits = tf.tensor2d(seededLogits(3, 15, 2), [3, 5]);
    const indices = tf.tensor1d([4, 0, 2], 'int32');
    const oneHot = tf.oneHot(indices, 5);
    const fromIndices = crossEntropyWithLabelSmoothing(logits, indices, { smoothing: 0.2 });
    const fromOneHot = crossEntropyWithLabelSmoothing(logits, oneHot, { smoothing: 0.2 });
    expect(fromOneHot.dataSync()[0]).toBeCloseTo(fromIndices.dataSync()[0] as number, 6);
    tf.dispose([logits, indices, oneHot, fromIndices, fromOneHot]);
  });

  it('is log(numClasses) for uniform logits under any smoothing', () => {
    const logits = tf.zeros([2, 8]);
    const labels = tf.tensor1d([1, 6], 'int32');
    const loss = crossEntropyWithLabelSmoothing(logits, labels, { smoothing: 0.3 });
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(8), 6);
    tf.dispose([logits, labels, loss]);
  });

  it('differentiates soft targets too', () => {
    const numClasses = 4;
    const logits = seededLogits(5, 2 * numClasses, 2);
    const targets = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.7, 0.1, 0.1, 0.1]);
    const logitsTensor = tf.tensor2d(logits, [2, numClasses]);
    const targetsTensor = tf.tensor2d(targets, [2, numClasses]);
    const [, targetsGradient] = tf.grads((z: tf.Tensor, t: tf.Tensor) =>
      crossEntropyWithLabelSmoothing(z, t, { smoothing: 0.1 }),
    )([logitsTensor, targetsTensor]) as [tf.Tensor, tf.Tensor];
    const numeric = finiteDifferenceGradient(
      (point) => smoothedCrossEntropy64(logits, point, numClasses, 0.1),
      targets,
      1e-4,
    );
    expect(maxScaledError(targetsGradient.dataSync(), numeric)).toBeLessThan(1e-4);
    tf.dispose([logitsTensor, targetsTensor, targetsGradient]);
  });

  it('composes with autodiff through the layers that produced the logits', async () => {
    // Registers the built-in gradients (matMul) that a real network needs upstream of the loss.
    await import('@tensorflow/tfjs');
    const features = tf.tensor2d(seededLogits(11, 6, 1), [2, 3]);
    const weights = tf.tensor2d(seededLogits(12, 12, 1), [3, 4]);
    const labels = tf.tensor1d([2, 1], 'int32');
    const before = tf.memory().numTensors;
    const gradient = tf.grad((w: tf.Tensor) =>
      crossEntropyWithLabelSmoothing(tf.matMul(features, w as tf.Tensor2D), labels, {
        smoothing: 0.1,
      }),
    )(weights);
    // Finite differences of the float64 loss of features W, with respect to W.
    const numeric = finiteDifferenceGradient((point) => {
      const x = features.dataSync();
      const logits = new Float64Array(8);
      for (let n = 0; n < 2; n++) {
        for (let j = 0; j < 4; j++) {
          let total = 0;
          for (let k = 0; k < 3; k++)
            total += (x[n * 3 + k] as number) * (point[k * 4 + j] as number);
          logits[n * 4 + j] = total;
        }
      }
      return smoothedCrossEntropy64(logits, oneHotRows([2, 1], 4), 4, 0.1);
    }, weights.dataSync());
    expect(maxScaledError(gradient.dataSync(), numeric)).toBeLessThan(1e-4);
    gradient.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([features, weights, labels]);
  });

  it('rejects bad labels and smoothing, naming the value', () => {
    const logits = tf.zeros([2, 3]);
    const floatIndices = tf.tensor1d([0, 1]);
    const wrongBatch = tf.tensor1d([0, 1, 2], 'int32');
    expect(() => crossEntropyWithLabelSmoothing(logits, floatIndices)).toThrow(LossArgumentError);
    expect(() => crossEntropyWithLabelSmoothing(logits, floatIndices)).toThrow(
      /labels dtype must be 'int32'.*got 'float32'/,
    );
    expect(() => crossEntropyWithLabelSmoothing(logits, wrongBatch)).toThrow(
      /labels shape must be \[2\].*got \[3\]/,
    );
    const labels = tf.tensor1d([0, 1], 'int32');
    expect(() => crossEntropyWithLabelSmoothing(logits, labels, { smoothing: 1 })).toThrow(
      /smoothing must be in \[0, 1\), but got 1/,
    );
    tf.dispose([logits, floatIndices, wrongBatch, labels]);
  });
});
