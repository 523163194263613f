import type { Supernet } from '@supernas/elastic';
import type { Sampler, SamplerState } from '@supernas/samplers';
import type { ArchConfig } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { checkTrainerOptions } from './check-trainer-options.js';
import { NonFiniteLossError, TrainerConfigError } from './errors.js';
import { warmupCosineLr } from './lr-schedule.js';
import { NonFiniteWeightsError } from './non-finite-weights-error.js';
import { PhaseTimes } from './phase-times.js';
import { type RankBatch, rankByMinibatchLoss } from './rank-by-loss.js';
import { rankedSandwichStep } from './ranked-sandwich-step.js';
import { onCpuMemoryBackend } from './sandwich-passes.js';
import {
  type DataParallel,
  type DistillationConfig,
  type SandwichStepConfig,
  type SubnetLoss,
  sandwichStep,
} from './sandwich-step.js';
import { Sgd } from './sgd.js';

/**
 * What the loop needs from a data pipeline: NHWC float batches with int labels, at whatever
 * resolution the source is set up for (`sandwichStep` resizes them to each subnet's).
 */
export interface BatchSource<State = unknown> {
  next(): Promise<{
    readonly images: Float32Array;
    readonly labels: Int32Array;
    readonly shape: readonly [number, number, number, number];
  } | null>;
  state(): State;
}

export interface TrainConfig extends SandwichStepConfig {
  readonly totalSteps: number;
  readonly warmupSteps: number;
  readonly baseLr: number;
  readonly minLr: number;
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  readonly seed: number;
  /** Write a checkpoint every this many steps (and always after the last). 0: only at the end. */
  readonly checkpointEvery: number;
  /**
   * Steps at the start in which the students (middle and min subnets) train on the labels, as
   * `distillation: { kind: 'none' }` does, before in-place distillation from the largest subnet
   * begins. 0 (the default) is the papers' recipe. A teacher that has barely started learning
   * is a poor target: in short runs, distilling from it from step 1 holds every subnet back.
   */
  readonly labelWarmupSteps?: number;
}

export interface StepRecord {
  readonly type: 'step';
  readonly step: number;
  readonly learningRate: number;
  readonly losses: ReadonlyArray<{
    readonly role: SubnetLoss['role'];
    readonly loss: number;
    readonly arch: ArchConfig;
  }>;
  /** What the students trained on this step: the labels (`none`) or the distillation loss. */
  readonly studentLoss: DistillationConfig['kind'];
  readonly imagesPerSecond: number;
  readonly stepSeconds: number;
  /** Images in the step's global batch: every rank's shard in data-parallel training. */
  readonly batchSize: number;
}

/** The state a checkpoint must hold for a resumed run to continue exactly. */
export interface TrainingState<DataState = unknown> {
  /** Steps completed. */
  readonly step: number;
  readonly samplerState: SamplerState;
  readonly dataState: DataState;
}

export interface TrainLoopInput<DataState = unknown> {
  readonly supernet: Supernet;
  readonly sampler: Sampler;
  readonly data: BatchSource<DataState>;
  readonly config: TrainConfig;
  /** Optimizer state to continue from (a resumed run); a fresh one otherwise. */
  readonly optimizer?: Sgd;
  /** Steps already completed (a resumed run). */
  readonly startStep?: number;
  readonly onStep?: (record: StepRecord) => void | Promise<void>;
  readonly saveCheckpoint?: (state: TrainingState<DataState>, optimizer: Sgd) => Promise<void>;
  /**
   * Checked between steps: when aborted, the loop checkpoints and returns early. The loop yields
   * to the event loop before each check, so a signal handler (Ctrl-C) runs between steps even
   * when every tensor read resolves without a macrotask. With `dataParallel`, every rank stops at
   * the same step once any rank's signal is aborted.
   */
  readonly signal?: AbortSignal;
  /**
   * Data-parallel training over several processes: `data` yields this rank's shard of each
   * global batch; gradients and losses are averaged over the ranks (see `sandwichStep`), and the
   * attentive sampler ranks its candidates on their losses summed over every rank's shard, so
   * every rank trains the same subnets and holds the same weights. Records report the mean
   * losses and the global batch. Every rank calls `saveCheckpoint`: let rank 0 write.
   */
  readonly dataParallel?: DataParallel;
  /**
   * Where the loop's wall time goes: `data`, `sampling`, `ranking`, `training`, `optimizer`,
   * `records` (`onStep`) and `checkpoint` (`saveCheckpoint`) are added to it as the run goes.
   */
  readonly phases?: PhaseTimes;
}

const requiredNumbers = [
  'totalSteps',
  'warmupSteps',
  'baseLr',
  'minLr',
  'momentum',
  'weightDecay',
  'checkpointEvery',
  'labelSmoothing',
  'dropout',
  'dropConnect',
  'gradClipValue',
] as const;

/** Lets timers, I/O and signal handlers run; tfjs reads on CPU backends resolve as microtasks. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );
}

/** The first trainable weight holding a NaN or infinity, if any. */
function firstNonFiniteWeight(supernet: Supernet): { name: string; value: number } | undefined {
  for (const name of supernet.trainableNames) {
    const values = supernet.variables.get(name)?.dataSync();
    if (values === undefined) continue;
    for (const value of values) if (!Number.isFinite(value)) return { name, value };
  }
  return undefined;
}

/** Checks a complete trainer config: every required number present and in range. */
export function validateTrainConfig(config: TrainConfig): void {
  for (const key of requiredNumbers) {
    if (config[key] === undefined) throw new TrainerConfigError(key, undefined, 'a number');
  }
  checkTrainerOptions(config);
}

/**
 * Trains a supernet with the sandwich rule for `config.totalSteps` steps: each step takes a
 * batch, asks the sampler for `[max, ...middle, min]` (the attentive sampler ranks its candidates
 * on this batch), runs `sandwichStep`, reports a record, and checkpoints on schedule. A
 * non-finite loss, the training losses' or the attentive ranking's, throws (`NonFiniteLossError`)
 * before the weights change, and weights that overflow anyway are never checkpointed
 * (`NonFiniteWeightsError`), so the last checkpoint stays the last good state. Steps are counted
 * from 1 in records and errors, as in the progress display.
 */
export async function trainSupernet<DataState>(
  input: TrainLoopInput<DataState>,
): Promise<{ steps: number; optimizer: Sgd; interrupted: boolean }> {
  const { supernet, sampler, data, config } = input;
  validateTrainConfig(config);
  const phases = input.phases ?? new PhaseTimes();
  const optimizer =
    input.optimizer ??
    new Sgd({
      momentum: config.momentum,
      nesterov: config.nesterov,
      weightDecay: config.weightDecay,
    });
  const schedule = warmupCosineLr({
    baseLr: config.baseLr,
    warmupSteps: config.warmupSteps,
    totalSteps: config.totalSteps,
    minLr: config.minLr,
  });
  const labelWarmupSteps = config.labelWarmupSteps ?? 0;
  const onLabels: SandwichStepConfig = { ...config, distillation: { kind: 'none' } };
  let current: RankBatch | undefined;
  const parallel = input.dataParallel;
  const rankLosses = rankByMinibatchLoss(
    supernet,
    () => {
      if (current === undefined) throw new Error('trainSupernet: ranking requested outside a step');
      return current;
    },
    parallel === undefined ? undefined : (scores) => parallel.reduceCandidateLosses(scores),
  );
  let step = input.startStep ?? 0;
  // A ranking loss is a loss: a non-finite one means the weights diverged.
  const checkScores = (archs: readonly ArchConfig[], scores: readonly number[]): void => {
    const bad = scores.findIndex((score) => !Number.isFinite(score));
    if (bad >= 0)
      throw new NonFiniteLossError(step + 1, bad, 'candidate', archs[bad]!, scores[bad]!);
  };
  const rank = async (archs: readonly ArchConfig[]): Promise<number[]> => {
    const scores = await phases.time('ranking', () => rankLosses(archs));
    checkScores(archs, scores);
    return scores;
  };
  let lastSaved = step;
  const save = async () => {
    const saveCheckpoint = input.saveCheckpoint;
    if (saveCheckpoint === undefined || lastSaved === step) return;
    await phases.time('checkpoint', async () => {
      const nonFinite = firstNonFiniteWeight(supernet);
      if (nonFinite !== undefined)
        throw new NonFiniteWeightsError(step, nonFinite.name, nonFinite.value);
      await saveCheckpoint(
        { step, samplerState: sampler.state(), dataState: data.state() },
        optimizer,
      );
    });
    lastSaved = step;
  };
  while (step < config.totalSteps) {
    if (input.signal !== undefined) await yieldToEventLoop();
    const aborted = input.signal?.aborted ?? false;
    if (parallel === undefined ? aborted : await parallel.anyRank(aborted)) {
      await save();
      return { steps: step, optimizer, interrupted: true };
    }
    const startedAt = performance.now();
    const batch = await phases.time('data', () => data.next());
    if (batch === null)
      throw new Error(
        `trainSupernet: the data source ended at step ${step} of ${config.totalSteps}`,
      );
    const images = tf.tensor4d(batch.images, [...batch.shape]);
    const labels = tf.tensor1d(batch.labels, 'int32');
    current = { images, labels };
    let losses: SubnetLoss[];
    const learningRate = schedule(step);
    const stepConfig = step < labelWarmupSteps ? onLabels : config;
    try {
      const common = {
        supernet,
        optimizer,
        images,
        labels,
        learningRate,
        step: step + 1,
        seed: config.seed * 1_000_003 + step,
        config: stepConfig,
        ...(input.signal === undefined ? {} : { betweenSubnets: yieldToEventLoop }),
        phases,
      };
      const sampledAt = performance.now();
      // Drawing archs is what sampling took beyond the passes that ran inside it.
      const passSeconds = () =>
        phases.get('ranking') + phases.get('training') + phases.get('optimizer');
      const passesBefore = passSeconds();
      const sampled = () =>
        phases.add(
          'sampling',
          (performance.now() - sampledAt) / 1000 - (passSeconds() - passesBefore),
        );
      if (parallel === undefined && sampler.first !== undefined && onCpuMemoryBackend()) {
        // The reference's order: the teacher, then each ranking fused with its student's pass.
        ({ losses } = await rankedSandwichStep({
          ...common,
          sampler: sampler as Sampler & { readonly first: ArchConfig },
          samplerStep: step,
          rank,
          checkScores,
        }));
        sampled();
      } else {
        const archs = await sampler.sample({ step, rank });
        sampled();
        losses = await sandwichStep({
          ...common,
          archs,
          ...(parallel === undefined ? {} : { dataParallel: parallel }),
        });
      }
    } finally {
      current = undefined;
      images.dispose();
      labels.dispose();
    }
    step += 1;
    const stepSeconds = (performance.now() - startedAt) / 1000;
    const batchSize = batch.shape[0] * (parallel?.size ?? 1);
    await phases.time('records', async () =>
      input.onStep?.({
        type: 'step',
        step,
        learningRate,
        losses: losses.map(({ role, loss, arch }) => ({ role, loss, arch })),
        studentLoss: stepConfig.distillation.kind,
        imagesPerSecond: batchSize / stepSeconds,
        stepSeconds,
        batchSize,
      }),
    );
    if (
      (config.checkpointEvery > 0 && step % config.checkpointEvery === 0) ||
      step === config.totalSteps
    ) {
      await save();
    }
  }
  return { steps: step, optimizer, interrupted: false };
}
