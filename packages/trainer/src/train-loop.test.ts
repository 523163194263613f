import { type BatchIteratorState, createBatchIterator } from '@supernas/data';
import {
  createSupernet,
  disposeCheckpoint,
  loadCheckpoint,
  registerGradients,
  restoreOptimizer,
  restoreSupernet,
  saveSupernet,
} from '@supernas/elastic';
import { flopsPrior } from '@supernas/flops';
import {
  attentiveSampler,
  type Sampler,
  type SamplerState,
  sandwichSampler,
} from '@supernas/samplers';
import { createRng } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { NonFiniteLossError } from './errors.js';
import { NonFiniteWeightsError } from './non-finite-weights-error.js';
import { PhaseTimes } from './phase-times.js';
import { Sgd } from './sgd.js';
import { microSpace, stripesDataset } from './test-utils/micro.js';
import { type StepRecord, type TrainConfig, trainSupernet } from './train-loop.js';

const config: TrainConfig = {
  totalSteps: 6,
  warmupSteps: 2,
  baseLr: 0.05,
  minLr: 0,
  momentum: 0.9,
  nesterov: true,
  weightDecay: 1e-5,
  seed: 3,
  checkpointEvery: 3,
  labelSmoothing: 0.1,
  dropout: 0.2,
  dropConnect: 0.2,
  gradClipValue: 1,
  distillation: { kind: 'alpha', alphaMin: -1, alphaMax: 1, clip: 5 },
};

beforeAll(async () => {
  await registerGradients();
  await tf.setBackend('cpu');
});

const dataset = stripesDataset(48, 11);
const prior = flopsPrior(microSpace, { samples: 400, bins: 4, rng: createRng(5), numClasses: 2 });

function makeSampler(seed: number): Sampler {
  const rng = createRng(seed);
  return sandwichSampler({
    space: microSpace,
    middle: 1,
    inner: attentiveSampler({
      space: microSpace,
      prior,
      candidates: 2,
      mode: 'best',
      rng: rng.fork(),
      numClasses: 2,
    }),
  });
}

function snapshot(variables: ReadonlyMap<string, tf.Variable>): Map<string, Float32Array> {
  return new Map(
    [...variables].map(([name, variable]) => [name, variable.dataSync() as Float32Array]),
  );
}

describe('trainSupernet', () => {
  it('resumed from a mid-run checkpoint reaches bit-identical weights', async () => {
    // Uninterrupted run.
    const straight = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 9 });
    const straightRecords: StepRecord[] = [];
    const straightRun = await trainSupernet({
      supernet: straight,
      sampler: makeSampler(21),
      data: createBatchIterator(dataset, { batchSize: 8, rng: createRng(4), resolution: 12 }),
      config,
      onStep: (record) => {
        straightRecords.push(record);
      },
    });
    expect(straightRun.steps).toBe(6);
    const expected = snapshot(straight.variables);

    // The same run, killed after its checkpoint at step 3...
    let saved: tf.io.ModelArtifacts | undefined;
    const first = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 9 });
    const abort = new AbortController();
    const firstRun = await trainSupernet({
      supernet: first,
      sampler: makeSampler(21),
      data: createBatchIterator(dataset, { batchSize: 8, rng: createRng(4), resolution: 12 }),
      config,
      onStep: (record) => {
        if (record.step === 3) abort.abort();
      },
      signal: abort.signal,
      saveCheckpoint: async (state, optimizer) => {
        await saveSupernet(
          first,
          tf.io.withSaveHandler(async (artifacts) => {
            saved = artifacts;
            return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
          }),
          {
            optimizer,
            step: state.step,
            metadata: { samplerState: state.samplerState, dataState: state.dataState },
          },
        );
      },
    });
    expect(firstRun).toMatchObject({ steps: 3, interrupted: true });
    first.dispose();
    firstRun.optimizer.dispose();

    // ...and resumed in a fresh process state from that checkpoint.
    const checkpoint = await loadCheckpoint(tf.io.fromMemory(saved!));
    expect(checkpoint.step).toBe(3);
    const resumed = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 1234 });
    restoreSupernet(resumed, checkpoint);
    const optimizer = new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-5 });
    await restoreOptimizer(optimizer, checkpoint, resumed);
    const sampler = makeSampler(999);
    sampler.restore(checkpoint.metadata.samplerState as SamplerState);
    const resumedRecords: StepRecord[] = [];
    const resumedRun = await trainSupernet({
      supernet: resumed,
      sampler,
      data: createBatchIterator(dataset, {
        batchSize: 8,
        state: checkpoint.metadata.dataState as BatchIteratorState,
        resolution: 12,
      }),
      config,
      optimizer,
      startStep: checkpoint.step,
      onStep: (record) => {
        resumedRecords.push(record);
      },
    });
    disposeCheckpoint(checkpoint);
    expect(resumedRun.steps).toBe(6);
    expect(resumedRecords.map((record) => record.losses.map((entry) => entry.arch))).toEqual(
      straightRecords.slice(3).map((record) => record.losses.map((entry) => entry.arch)),
    );
    expect(resumedRecords.map((record) => record.losses.map((entry) => entry.loss))).toEqual(
      straightRecords.slice(3).map((record) => record.losses.map((entry) => entry.loss)),
    );
    const actual = snapshot(resumed.variables);
    for (const [name, values] of expected) expect(actual.get(name), name).toEqual(values);
    straight.dispose();
    straightRun.optimizer.dispose();
    resumed.dispose();
    optimizer.dispose();
  });

  it('trains the students on the labels for labelWarmupSteps steps, then distills', async () => {
    const run = async (runConfig: TrainConfig) => {
      const supernet = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 9 });
      const records: StepRecord[] = [];
      const result = await trainSupernet({
        supernet,
        sampler: makeSampler(21),
        data: createBatchIterator(dataset, { batchSize: 8, rng: createRng(4), resolution: 12 }),
        config: runConfig,
        onStep: (record) => {
          records.push(record);
        },
      });
      supernet.dispose();
      result.optimizer.dispose();
      return records;
    };
    const short = { ...config, totalSteps: 4 };
    const warmedUp = await run({ ...short, labelWarmupSteps: 2 });
    const onLabels = await run({ ...short, distillation: { kind: 'none' } });
    const distilled = await run(short);

    expect(warmedUp.map((record) => record.studentLoss)).toEqual([
      'none',
      'none',
      'alpha',
      'alpha',
    ]);
    expect(distilled.every((record) => record.studentLoss === 'alpha')).toBe(true);
    const losses = (records: StepRecord[]) =>
      records.map((record) => record.losses.map((entry) => entry.loss));
    // The warm-up is exactly a run without distillation, down to the bit...
    expect(losses(warmedUp).slice(0, 2)).toEqual(losses(onLabels).slice(0, 2));
    // ...and the students then switch to the divergence (values near 0, far below CE's ~0.7).
    const students = (records: StepRecord[], step: number) =>
      records[step]!.losses.slice(1).map((entry) => entry.loss);
    expect(Math.max(...students(warmedUp, 2))).toBeLessThan(Math.min(...students(onLabels, 2)) / 2);
    expect(students(distilled, 0)).not.toEqual(students(onLabels, 0));
  });

  it('rejects a configuration value out of range, naming it', async () => {
    const supernet = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 1 });
    await expect(
      trainSupernet({
        supernet,
        sampler: makeSampler(1),
        data: createBatchIterator(dataset, { batchSize: 8, rng: createRng(1), resolution: 12 }),
        config: { ...config, dropout: 1.5 },
      }),
    ).rejects.toThrow(/dropout is 1.5, expected a number in \[0, 1\)/);
    supernet.dispose();
  });

  it('stops a diverging run at the first non-finite loss, ranking included, counting steps from 1, never checkpointing non-finite weights', async () => {
    const supernet = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 9 });
    const records: StepRecord[] = [];
    const checkpointed: Array<{ step: number; finite: boolean }> = [];
    const error = await trainSupernet({
      supernet,
      sampler: makeSampler(21),
      data: createBatchIterator(dataset, { batchSize: 8, rng: createRng(4), resolution: 12 }),
      config: { ...config, totalSteps: 20, warmupSteps: 0, baseLr: 1e30, checkpointEvery: 1 },
      onStep: (record) => {
        records.push(record);
      },
      saveCheckpoint: async (state) => {
        const finite = [...supernet.variables.values()].every((variable) =>
          [...variable.dataSync()].every(Number.isFinite),
        );
        checkpointed.push({ step: state.step, finite });
      },
    }).catch((caught: unknown) => caught);
    supernet.dispose();
    expect(
      error instanceof NonFiniteLossError || error instanceof NonFiniteWeightsError,
      String(error),
    ).toBe(true);
    const failed = error as NonFiniteLossError | NonFiniteWeightsError;
    // A loss fails the step it belongs to (the next one); weights fail after the step that made them.
    expect(failed.step).toBe(
      failed instanceof NonFiniteLossError ? records.length + 1 : records.length,
    );
    expect(failed.message).toContain(`step ${failed.step}`);
    expect(checkpointed.every((entry) => entry.finite)).toBe(true);
    expect(checkpointed.at(-1)?.step ?? 0).toBeLessThan(records.length + 1);
  });

  it('trains the chosen candidates from their ranking forwards to the same weights as ranking first', async () => {
    const run = async (sampler: Sampler) => {
      const supernet = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 9 });
      const records: StepRecord[] = [];
      const phases = new PhaseTimes();
      const { optimizer } = await trainSupernet({
        supernet,
        sampler,
        data: createBatchIterator(dataset, { batchSize: 8, rng: createRng(4), resolution: 12 }),
        config: { ...config, checkpointEvery: 0, totalSteps: 4 },
        onStep: (record) => {
          records.push(record);
        },
        phases,
      });
      optimizer.dispose();
      const weights = snapshot(supernet.variables);
      supernet.dispose();
      return { records, weights, phases };
    };
    const before = tf.memory().numTensors;
    const fused = await run(makeSampler(21));
    const rankedFirst = await run({ ...makeSampler(21), first: undefined });
    expect(tf.memory().numTensors).toBe(before);
    const lossesOf = (records: StepRecord[]) => records.map((record) => record.losses);
    expect(lossesOf(fused.records)).toEqual(lossesOf(rankedFirst.records));
    expect([...fused.weights.keys()]).toEqual([...rankedFirst.weights.keys()]);
    for (const [name, values] of fused.weights)
      expect(Array.from(values), name).toEqual(Array.from(rankedFirst.weights.get(name)!));
    for (const { phases } of [fused, rankedFirst])
      for (const phase of ['data', 'sampling', 'ranking', 'training', 'optimizer'] as const)
        expect(phases.get(phase), phase).toBeGreaterThan(0);
  });

  it('treats a non-finite ranking loss as a non-finite loss naming the step and the candidate', async () => {
    const supernet = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 9 });
    const records: StepRecord[] = [];
    let ranked = 0;
    // Without its `first` arch the loop ranks before training, as in a data-parallel job: the
    // attentive sampler ranks through the loop's rank callback; poison step 3's batch so only
    // the ranking (which then runs first in a step) sees the NaN.
    const sampler = { ...makeSampler(21), first: undefined };
    const data = createBatchIterator(dataset, { batchSize: 8, rng: createRng(4), resolution: 12 });
    const poisoned = {
      next: async () => {
        const batch = await data.next();
        if (batch === null || records.length < 2) return batch;
        ranked += 1;
        return { ...batch, images: batch.images.map(() => Number.NaN) };
      },
      state: () => data.state(),
    };
    const error = await trainSupernet({
      supernet,
      sampler,
      data: poisoned,
      config: { ...config, checkpointEvery: 1 },
      onStep: (record) => {
        records.push(record);
      },
    }).catch((caught: unknown) => caught);
    supernet.dispose();
    expect(ranked).toBe(1);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as NonFiniteLossError).message).toMatch(
      /^Non-finite loss NaN at step 3 in subnet \d \(candidate, resolution/,
    );
    expect(records.map((record) => record.step)).toEqual([1, 2]);
  });
});
