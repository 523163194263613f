import { createBatchIterator, type Dataset } from '@supernas/data';
import { type Supernet, saveSupernet } from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
import { countFlops } from '@supernas/flops';
import type { Sampler } from '@supernas/samplers';
import { deriveRng, type SearchSpace } from '@supernas/search-space';
import {
  type PhaseTimes,
  type Sgd,
  type StepRecord,
  type TrainConfig,
  type TrainingState,
  trainSupernet,
} from '@supernas/trainer';
import { MetricsWriter } from '../run/metrics-writer.js';
import { ProgressBar } from '../run/progress-bar.js';
import { withFileErrors } from '../run/run-file-error.js';
import type { TrainRunConfig } from './config.js';
import { type DistributedRun, shardBatches, writerOnly } from './distributed.js';
import { rewindMetrics } from './metrics-history.js';
import type { ResumeState } from './resume-run.js';
import { runFiles } from './run-folder.js';
import { trainingBatchResolution } from './train-setup.js';

export interface TrainWithMetricsInput {
  readonly runDir: string;
  readonly config: TrainRunConfig;
  readonly trainConfig: TrainConfig;
  readonly space: SearchSpace;
  readonly train: Dataset;
  readonly batchesPerEpoch: number;
  readonly supernet: Supernet;
  readonly sampler: Sampler;
  readonly resume?: ResumeState;
  /** A data-parallel job: this rank trains on its shard of each batch, rank 0 writes. */
  readonly distributed?: Pick<DistributedRun, 'rank' | 'size' | 'isWriter' | 'dataParallel'>;
  readonly signal?: AbortSignal;
  readonly onStep?: (record: StepRecord) => void;
  /** Where the training loop's time goes (see `trainSupernet`'s `phases`). */
  readonly phases?: PhaseTimes;
}

export interface TrainWithMetricsResult {
  /** Steps completed. */
  readonly steps: number;
  readonly interrupted: boolean;
  /** Training time of the whole run: earlier segments (from the checkpoint) plus this one. */
  readonly trainSeconds: number;
}

/**
 * The training loop of a run with its records: one metrics.jsonl line per step and per epoch,
 * the progress display, and checkpoints that carry the run's training time. A resumed run first
 * rewinds metrics.jsonl to its checkpoint, so its files end as an uninterrupted run's would.
 */
export async function trainWithMetrics(
  input: TrainWithMetricsInput,
): Promise<TrainWithMetricsResult> {
  const { config, trainConfig, space, train, batchesPerEpoch, supernet, sampler, resume } = input;
  const { totalSteps } = trainConfig;
  const numClasses = train.numClasses;
  const inputChannels = train.channels;
  const files = runFiles(input.runDir);
  const epochOf = (step: number) => Math.floor((step - 1) / batchesPerEpoch);
  const closesEpoch = (step: number) => step % batchesPerEpoch === 0 || step === totalSteps;

  const run = input.distributed ?? { rank: 0, size: 1, isWriter: true, dataParallel: undefined };
  const startStep = resume?.step ?? 0;
  // Only rank 0 keeps metrics (and their epoch means); the others only train.
  const history = run.isWriter
    ? await rewindMetrics(files.metrics, startStep, (record) => closesEpoch(record.step))
    : [];
  // The epoch's mean losses cover its steps before the checkpoint too.
  let epochLosses: number[][] = history
    .filter((record) => startStep > 0 && epochOf(record.step) === epochOf(startStep + 1))
    .map((record) => (record.losses ?? []).map((entry) => entry.loss));

  // Every rank iterates the same global batches (same seed or state) and keeps its shard.
  const globalBatches = createBatchIterator(train, {
    batchSize: config.data.batchSize,
    mode: 'train',
    ...(config.data.augmentation === undefined ? {} : { augmentation: config.data.augmentation }),
    ...(resume === undefined
      ? { rng: deriveRng(config.seed, 'training-data') }
      : { state: resume.dataState }),
    resolution: trainingBatchResolution(train, space),
  });
  const data = shardBatches(globalBatches, run.rank, run.size);
  const metrics = new MetricsWriter(files.metrics);
  const progress = run.isWriter ? new ProgressBar(totalSteps, process.stderr) : undefined;
  let smoothedStepSeconds = 0;
  const onStep = (record: StepRecord) => {
    if (!run.isWriter) {
      input.onStep?.(record);
      return;
    }
    smoothedStepSeconds =
      smoothedStepSeconds === 0
        ? record.stepSeconds
        : 0.9 * smoothedStepSeconds + 0.1 * record.stepSeconds;
    metrics.write({
      ...record,
      epoch: epochOf(record.step),
      losses: record.losses.map(({ role, loss, arch }) => ({
        role,
        loss,
        mflops: countFlops(space, arch, { numClasses, inputChannels }).flops / 1e6,
        arch,
      })),
    });
    epochLosses.push(record.losses.map((entry) => entry.loss));
    if (closesEpoch(record.step)) {
      const roles = record.losses.map((entry) => entry.role);
      metrics.write({
        type: 'epoch',
        epoch: epochOf(record.step),
        step: record.step,
        meanLoss: Object.fromEntries(
          roles.map((role, i) => [
            `${role}${roles.indexOf(role) === i ? '' : i}`,
            epochLosses.reduce((sum, losses) => sum + (losses[i] ?? 0), 0) / epochLosses.length,
          ]),
        ),
        sampler: sampler.stats(),
      });
      epochLosses = [];
    }
    progress?.update(record.step, {
      loss: record.losses[0]?.loss ?? Number.NaN,
      imagesPerSecond: record.imagesPerSecond,
      etaSeconds: (totalSteps - record.step) * smoothedStepSeconds,
    });
    input.onStep?.(record);
  };

  const trainSecondsBefore = resume?.trainSeconds ?? 0;
  const startedAt = performance.now();
  const trainSecondsNow = () => trainSecondsBefore + (performance.now() - startedAt) / 1000;
  // The time the last checkpoint records: a finished run reports it, so resuming it reports it too.
  let savedSeconds = { step: startStep, seconds: trainSecondsBefore };
  const saveCheckpoint = async (state: TrainingState, optimizer: Sgd): Promise<void> => {
    const seconds = trainSecondsNow();
    await writerOnly(run, async () => {
      await withFileErrors('the checkpoint in', files.checkpoint, () =>
        saveSupernet(supernet, fileSystemHandler(files.checkpoint), {
          optimizer,
          step: state.step,
          metadata: {
            samplerState: state.samplerState,
            dataState: state.dataState,
            totalSteps,
            trainSeconds: seconds,
          },
        }),
      );
    })();
    savedSeconds = { step: state.step, seconds };
  };
  let outcome: Awaited<ReturnType<typeof trainSupernet>>;
  try {
    outcome = await trainSupernet({
      supernet,
      sampler,
      data,
      config: trainConfig,
      ...(resume === undefined ? {} : { optimizer: resume.optimizer }),
      startStep,
      onStep,
      saveCheckpoint,
      ...(run.dataParallel === undefined ? {} : { dataParallel: run.dataParallel }),
      ...(input.phases === undefined ? {} : { phases: input.phases }),
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
  } finally {
    globalBatches.close();
  }
  outcome.optimizer.dispose();
  return {
    steps: outcome.steps,
    interrupted: outcome.interrupted,
    trainSeconds: savedSeconds.step === outcome.steps ? savedSeconds.seconds : trainSecondsNow(),
  };
}
