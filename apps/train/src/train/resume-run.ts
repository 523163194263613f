import type { BatchIteratorState } from '@supernas/data';
import {
  type Checkpoint,
  disposeCheckpoint,
  restoreOptimizer,
  restoreSupernet,
  type Supernet,
} from '@supernas/elastic';
import type { Sampler, SamplerState } from '@supernas/samplers';
import { Sgd, type TrainConfig } from '@supernas/trainer';
import type { BackendChoice } from '../backend.js';
import { CliUsageError } from '../cli-usage-error.js';
import { atomicWrite } from '../run/atomic-write.js';
import { parseTrainConfig, type TrainRunConfig } from './config.js';
import {
  readRunCheckpoint,
  readRunConfig,
  removeCheckpointLeftovers,
  requireCheckpoint,
  runFiles,
} from './run-folder.js';

/** What a resumed run may change: the backend, and the steps (to extend the run). */
export interface ResumeOverrides {
  readonly steps?: number;
  readonly backend?: BackendChoice;
}

/** Where a resumed run continues from. */
export interface ResumeState {
  /** Steps completed at the checkpoint. */
  readonly step: number;
  readonly optimizer: Sgd;
  readonly dataState: BatchIteratorState;
  /** Training time of the run up to the checkpoint, summed over its earlier segments. */
  readonly trainSeconds: number;
}

/**
 * The config a resumed run continues with: its own, with `--backend` and `--steps` applied.
 * Fails fast, before data loads, when the run has no checkpoint.
 */
export async function readResumeConfig(
  runDir: string,
  overrides: ResumeOverrides,
): Promise<TrainRunConfig> {
  const saved = await readRunConfig(runDir, 'Cannot resume');
  requireCheckpoint(runDir, 'Cannot resume');
  return parseTrainConfig(
    {
      ...saved,
      ...(overrides.backend === undefined ? {} : { backend: overrides.backend }),
      training: {
        ...saved.training,
        ...(overrides.steps === undefined ? {} : { steps: overrides.steps }),
      },
    },
    `${runFiles(runDir).config} with the command-line overrides`,
  );
}

/**
 * Restores the supernet, optimizer, sampler and data position of the run's checkpoint. A run
 * extended past its old end (`--steps`) records its new length in config.json, so the next
 * resume keeps it.
 */
export async function restoreRun(
  runDir: string,
  config: TrainRunConfig,
  trainConfig: TrainConfig,
  supernet: Supernet,
  sampler: Sampler,
  /** `--steps` was given: the run's length may have changed. */
  extended: boolean,
): Promise<ResumeState> {
  const checkpoint = await readRunCheckpoint<Checkpoint>(runDir, 'Cannot resume');
  try {
    // The checkpoint loaded: whatever else a killed save left beside it is garbage.
    await removeCheckpointLeftovers(runDir);
    if (checkpoint.step > trainConfig.totalSteps) {
      throw new CliUsageError(
        `Cannot resume ${runDir} with ${trainConfig.totalSteps} steps: its checkpoint is at step ${checkpoint.step}; give --steps ${checkpoint.step} or more`,
      );
    }
    restoreSupernet(supernet, checkpoint);
    const optimizer = new Sgd({
      momentum: trainConfig.momentum,
      nesterov: trainConfig.nesterov,
      weightDecay: trainConfig.weightDecay,
    });
    await restoreOptimizer(optimizer, checkpoint, supernet);
    sampler.restore(checkpoint.metadata.samplerState as SamplerState);
    const trainSeconds = Number(checkpoint.metadata.trainSeconds ?? 0);
    if (extended)
      await atomicWrite(runFiles(runDir).config, `${JSON.stringify(config, null, 2)}\n`);
    return {
      step: checkpoint.step,
      optimizer,
      dataState: checkpoint.metadata.dataState as BatchIteratorState,
      trainSeconds: Number.isFinite(trainSeconds) ? trainSeconds : 0,
    };
  } finally {
    disposeCheckpoint(checkpoint);
  }
}
