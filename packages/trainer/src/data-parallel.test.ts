import { createBatchIterator } from '@supernas/data';
import { createSupernet, registerGradients } from '@supernas/elastic';
import { flopsPrior } from '@supernas/flops';
import { attentiveSampler, sandwichSampler, uniformSampler } from '@supernas/samplers';
import { createRng, maxArch, minArch } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { NonFiniteLossError } from './errors.js';
import { rankByMinibatchLoss } from './rank-by-loss.js';
import { type DataParallel, type SandwichStepConfig, sandwichStep } from './sandwich-step.js';
import { Sgd } from './sgd.js';
import { microSpace, stripesDataset } from './test-utils/micro.js';
import { type StepRecord, trainSupernet } from './train-loop.js';

const config: SandwichStepConfig = {
  labelSmoothing: 0.1,
  dropout: 0,
  dropConnect: 0,
  // Large enough that clipping never changes a gradient: the tests compare scaled steps.
  gradClipValue: 1e6,
  distillation: { kind: 'alpha', alphaMin: -1, alphaMax: 1, clip: 5 },
};

beforeAll(async () => {
  await registerGradients();
  await tf.setBackend('cpu');
});

function batch(): { images: tf.Tensor4D; labels: tf.Tensor1D } {
  return tf.tidy(() => ({
    images: tf.tensor4d(
      Float32Array.from({ length: 8 * 12 * 12 }, (_, i) => ((i * 37) % 11) / 11),
      [8, 12, 12, 1],
    ),
    labels: tf.tensor1d(
      Array.from({ length: 8 }, (_, i) => i % 2),
      'int32',
    ),
  }));
}

/** A pretend job: `gradients` and `losses` say what the reduction does with this rank's values. */
function fakeParallel(
  size: number,
  options: {
    readonly gradients?: (gradient: tf.Tensor) => tf.Tensor;
    readonly losses?: (values: readonly number[]) => number[];
    readonly otherRankStops?: boolean;
  } = {},
): DataParallel & { calls: string[] } {
  const calls: string[] = [];
  return {
    rank: 0,
    size,
    calls,
    async reduceGradients(gradients) {
      calls.push(`gradients ${Object.keys(gradients).length}`);
      const reduce = options.gradients ?? ((gradient: tf.Tensor) => tf.clone(gradient));
      return Object.fromEntries(
        Object.entries(gradients).map(([name, gradient]) => [name, reduce(gradient)]),
      );
    },
    async reduceLosses(values) {
      calls.push(`losses ${values.length}`);
      return options.losses?.(values) ?? [...values];
    },
    async reduceCandidateLosses(values) {
      calls.push(`candidates ${values.length}`);
      return values.map((value) => value * size);
    },
    async anyRank(flag) {
      calls.push(`anyRank ${flag}`);
      return flag || (options.otherRankStops ?? false);
    },
  };
}

function weightsOf(supernet: ReturnType<typeof createSupernet>): Float32Array[] {
  return supernet.trainableNames.map(
    (name) => supernet.variables.get(name)!.dataSync() as Float32Array,
  );
}

async function twoSteps(learningRate: number, dataParallel?: DataParallel) {
  const supernet = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 5 });
  const optimizer = new Sgd({ momentum: 0, nesterov: false, weightDecay: 0 });
  const { images, labels } = batch();
  const losses = [];
  for (let step = 0; step < 2; step++) {
    losses.push(
      await sandwichStep({
        supernet,
        optimizer,
        archs: [maxArch(microSpace), minArch(microSpace)],
        images,
        labels,
        learningRate,
        step,
        seed: step,
        config,
        ...(dataParallel === undefined ? {} : { dataParallel }),
      }),
    );
  }
  const weights = weightsOf(supernet);
  tf.dispose([images, labels]);
  optimizer.dispose();
  supernet.dispose();
  return { weights, losses };
}

describe('sandwichStep with dataParallel', () => {
  it('gives bit-identical weights and losses on a job of one', async () => {
    const before = tf.memory().numTensors;
    const alone = await twoSteps(0.1);
    const parallel = fakeParallel(1);
    const joined = await twoSteps(0.1, parallel);
    expect(joined.weights).toEqual(alone.weights);
    expect(joined.losses).toEqual(alone.losses);
    // Per step: the subnets' losses, then the gradients of every trainable parameter at once.
    expect(parallel.calls[0]).toBe('losses 2');
    expect(parallel.calls[1]).toMatch(/^gradients \d+$/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('steps with the reduced gradients', async () => {
    // Averaged with a rank whose gradients are all zero, the step halves: as a halved rate.
    const halved = await twoSteps(0.1, fakeParallel(2, { gradients: (g) => tf.div(g, 2) }));
    const alone = await twoSteps(0.05);
    expect(halved.weights).toEqual(alone.weights);
  });

  it('throws on a non-finite reduced loss on every rank, before any weight changes', async () => {
    const supernet = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 6 });
    const optimizer = new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 0 });
    const { images, labels } = batch();
    const snapshot = weightsOf(supernet);
    const before = tf.memory().numTensors;
    // This rank's losses are finite; another rank's NaN shows in the mean.
    const parallel = fakeParallel(2, { losses: (values) => [values[0]!, Number.NaN] });
    const error = await sandwichStep({
      supernet,
      optimizer,
      archs: [maxArch(microSpace), minArch(microSpace)],
      images,
      labels,
      learningRate: 0.1,
      step: 3,
      seed: 0,
      config,
      dataParallel: parallel,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as Error).message).toMatch(/Non-finite loss NaN at step 3 in subnet 1 \(min,/);
    expect(parallel.calls).toEqual(['losses 2']);
    expect(weightsOf(supernet)).toEqual(snapshot);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([images, labels]);
    optimizer.dispose();
    supernet.dispose();
  });
});

describe('rankByMinibatchLoss with a reduction', () => {
  it("ranks on the reduced scores, given this rank's own", async () => {
    const supernet = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 7 });
    const current = batch();
    const archs = [maxArch(microSpace), minArch(microSpace)];
    const local = await rankByMinibatchLoss(supernet, () => current)(archs);
    const seen: number[][] = [];
    const reduced = await rankByMinibatchLoss(
      supernet,
      () => current,
      async (scores) => {
        seen.push([...scores]);
        return scores.map((score, index) => score + 10 * index);
      },
    )(archs);
    expect(seen).toEqual([local]);
    expect(reduced).toEqual([local[0]!, local[1]! + 10]);
    tf.dispose([current.images, current.labels]);
    supernet.dispose();
  });
});

describe('trainSupernet with dataParallel', () => {
  it('ranks candidates on reduced losses and reports the global batch', async () => {
    const supernet = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 8 });
    const rng = createRng(2);
    const prior = flopsPrior(microSpace, {
      samples: 200,
      bins: 4,
      rng: createRng(5),
      numClasses: 2,
    });
    const sampler = sandwichSampler({
      space: microSpace,
      middle: 1,
      inner: attentiveSampler({
        space: microSpace,
        prior,
        candidates: 3,
        mode: 'best',
        rng: rng.fork(),
        numClasses: 2,
      }),
    });
    const parallel = fakeParallel(4);
    const records: StepRecord[] = [];
    const data = createBatchIterator(stripesDataset(16, 3), { batchSize: 8, rng: rng.fork() });
    await trainSupernet({
      supernet,
      sampler,
      data,
      config: {
        ...config,
        totalSteps: 1,
        warmupSteps: 0,
        baseLr: 0.05,
        minLr: 0,
        momentum: 0.9,
        nesterov: true,
        weightDecay: 0,
        seed: 1,
        checkpointEvery: 0,
      },
      dataParallel: parallel,
      onStep: (record) => {
        records.push(record);
      },
    });
    expect(parallel.calls).toEqual([
      'anyRank false',
      'candidates 3',
      'losses 3',
      expect.stringMatching(/^gradients/),
    ]);
    expect(records[0]!.batchSize).toBe(32);
    supernet.dispose();
  });
});

describe('trainSupernet with dataParallel and a signal', () => {
  it('stops at the same step as another rank whose signal was aborted', async () => {
    const supernet = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 9 });
    const rng = createRng(4);
    const parallel = fakeParallel(2, { otherRankStops: true });
    const saved: number[] = [];
    const result = await trainSupernet({
      supernet,
      sampler: sandwichSampler({
        space: microSpace,
        middle: 0,
        inner: uniformSampler({ space: microSpace, rng }),
      }),
      data: createBatchIterator(stripesDataset(16, 3), { batchSize: 8, rng: rng.fork() }),
      config: {
        ...config,
        totalSteps: 3,
        warmupSteps: 0,
        baseLr: 0.05,
        minLr: 0,
        momentum: 0.9,
        nesterov: true,
        weightDecay: 0,
        seed: 1,
        checkpointEvery: 0,
      },
      startStep: 1,
      dataParallel: parallel,
      // This rank's own signal is not aborted.
      signal: new AbortController().signal,
      saveCheckpoint: async (state) => {
        saved.push(state.step);
      },
    });
    expect(result).toMatchObject({ steps: 1, interrupted: true });
    expect(parallel.calls).toEqual(['anyRank false']);
    expect(saved).toEqual([]); // nothing trained since the resumed step: nothing new to save
    result.optimizer.dispose();
    supernet.dispose();
  });
});
