import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { Dataset } from '@supernas/data';
import { createSupernet, registerGradients } from '@supernas/elastic';
import { getSearchSpace } from '@supernas/search-space';
import { PhaseTimes, type StepRecord } from '@supernas/trainer';
import { type SelectedBackend, selectBackend } from '../backend.js';
import type { CliIo } from '../cli-io.js';
import { CliUsageError } from '../cli-usage-error.js';
import { atomicWrite } from '../run/atomic-write.js';
import { formatDuration } from '../run/progress-bar.js';
import { withFileErrors } from '../run/run-file-error.js';
import { ensureWritableDirectory } from '../run/writable-directory.js';
import type { TrainRunConfig } from './config.js';
import {
  checkSameOnEveryRank,
  type DistributedRun,
  localRun,
  oneGpuPerRank,
  resultOfWriter,
  shardBatchSize,
  shareCoresBetweenRanks,
  syncSupernet,
  writeWeightsDigestForTests,
} from './distributed.js';
import { evaluateAndReport } from './evaluate-and-report.js';
import type { SubnetResult } from './evaluate-subnets.js';
import { loadRunDataset } from './load-dataset.js';
import {
  type ResumeOverrides,
  type ResumeState,
  readResumeConfig,
  restoreRun,
} from './resume-run.js';
import { runFiles } from './run-folder.js';
import { makeSampler, samplerRank, trainConfigOf } from './train-setup.js';
import { trainWithMetrics } from './train-with-metrics.js';

export interface RunTrainingOptions {
  /** The run's config; a resumed run uses its own config.json instead (plus `overrides`). */
  readonly config: TrainRunConfig;
  /** Where the run's files go; a fresh `runs/<timestamp>` when absent. */
  readonly runDir?: string;
  /** Continue the run in this folder from its checkpoint. */
  readonly resume?: boolean;
  /** A resumed run's `--steps` (extends the run) and `--backend`. */
  readonly overrides?: ResumeOverrides;
  readonly io: CliIo;
  readonly signal?: AbortSignal;
  /** Called after each step's record is written (progress UIs, tests). */
  readonly onStep?: (record: StepRecord) => void;
  /** Skip the evaluation after training (tests). */
  readonly skipEvaluation?: boolean;
  /** This process's rank in a data-parallel job (`startDistributedRun`); alone when absent. */
  readonly distributed?: DistributedRun;
}

export interface RunTrainingResult {
  readonly runDir: string;
  readonly backend: SelectedBackend;
  readonly steps: number;
  readonly interrupted: boolean;
  readonly results: readonly SubnetResult[];
  /** Training time of the whole run, summed over its resumed segments. */
  readonly trainSeconds: number;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** A fresh run starts in a new or empty-of-runs folder: it never overwrites a checkpoint. */
async function startRunFolder(runDir: string, config: TrainRunConfig): Promise<void> {
  await ensureWritableDirectory(runDir, 'run folder');
  const files = runFiles(runDir);
  if (existsSync(files.checkpointModel)) {
    throw new CliUsageError(
      `${runDir} holds a run with a checkpoint: continue it with supernas train --resume ${runDir}, or choose another --run-dir`,
    );
  }
  // Left by a run that stopped before its first checkpoint: this run starts it over.
  await withFileErrors('metrics', files.metrics, () => rm(files.metrics, { force: true }));
  await atomicWrite(files.config, `${JSON.stringify(config, null, 2)}\n`);
}

/**
 * `supernas train`: trains a supernet as the config says, writing everything to a run folder
 * (config, metrics, checkpoint, results table and chart), then calibrates BN and evaluates
 * min, max and a few middle subnets. A resumed run continues from its checkpoint and ends with
 * the files an uninterrupted run writes (apart from wall-clock fields, which add up).
 */
export async function runTraining(options: RunTrainingOptions): Promise<RunTrainingResult> {
  const run = options.distributed ?? localRun(options.io);
  const { io } = run;
  const phases = new PhaseTimes();
  const setupStartedAt = performance.now();
  // Rank 0's folder (a fresh run's timestamp differs between ranks): a shared one.
  const runDir = await resultOfWriter(run, async () =>
    resolve(options.runDir ?? join('runs', timestamp())),
  );
  const config = options.resume
    ? await readResumeConfig(runDir, options.overrides ?? {})
    : options.config;
  const space = getSearchSpace(config.space);
  if (!options.resume) await resultOfWriter(run, () => startRunFolder(runDir, config));
  else if (run.isWriter) await ensureWritableDirectory(runDir, 'run folder');

  const threads = shareCoresBetweenRanks(run, availableParallelism());
  if (threads !== undefined) io.stdout(`threads: ${threads} per rank (OMP_NUM_THREADS)\n`);
  oneGpuPerRank(run);
  const backend = await selectBackend(config.backend, (line) => io.stderr(`backend: ${line}\n`));
  io.stdout(`backend: ${backend.description}\n`);
  await checkSameOnEveryRank(run, 'backend', backend.name);
  await registerGradients();

  const [train, test] = await Promise.all([
    loadRunDataset(config.data, 'train', config.seed),
    loadRunDataset(config.data, 'test', config.seed),
  ]);
  io.stdout(
    `data: ${train.name} train ${train.size} / held out ${config.data.heldOut} / test ${test.size} (${train.origin})\n`,
  );
  if (train.numClasses < 2)
    throw new CliUsageError(
      `${train.name} (${train.origin}) has ${train.numClasses} class, expected at least 2 to train a classifier`,
    );
  const batchSize = config.data.batchSize;
  shardBatchSize(batchSize, run.size);
  const batchesPerEpoch = Math.floor(train.size / batchSize);
  if (batchesPerEpoch < 1)
    throw new CliUsageError(
      `data.batchSize ${batchSize} is larger than the training set (${train.size} examples)`,
    );
  const totalSteps =
    config.training.steps ?? Math.max(1, Math.round(config.training.epochs * batchesPerEpoch));
  const trainConfig = trainConfigOf(config, totalSteps, batchesPerEpoch);

  const supernet = createSupernet(space, {
    numClasses: train.numClasses,
    inputChannels: train.channels,
    seed: config.seed,
  });
  try {
    const sampler = makeSampler(
      space,
      config,
      train.numClasses,
      train.channels,
      await samplerRank(space, config),
    );
    let resume: ResumeState | undefined;
    if (options.resume) {
      resume = await restoreRun(
        runDir,
        config,
        trainConfig,
        supernet,
        sampler,
        options.overrides?.steps !== undefined && run.isWriter,
      );
      // Every rank read the checkpoint from the shared folder: make sure they read the same.
      await syncSupernet(supernet, run, 'check');
      io.stdout(`resuming ${runDir} at step ${resume.step} of ${totalSteps}\n`);
    } else await syncSupernet(supernet, run, 'broadcast');
    phases.add('setup', (performance.now() - setupStartedAt) / 1000);
    io.stdout(
      `training ${space.name} supernet: ${totalSteps} steps of batch ${batchSize}, sampler ${sampler.name}, distillation ${config.distillation.kind}, run folder ${runDir}\n`,
    );
    const outcome = await trainWithMetrics({
      runDir,
      config,
      trainConfig,
      space,
      train,
      batchesPerEpoch,
      supernet,
      sampler,
      ...(resume === undefined ? {} : { resume }),
      distributed: run,
      phases,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onStep === undefined ? {} : { onStep: options.onStep }),
    });
    await writeWeightsDigestForTests(supernet, run);
    const startStep = resume?.step ?? 0;
    io.stdout(
      `trained ${outcome.steps - startStep} steps in ${formatDuration(outcome.trainSeconds - (resume?.trainSeconds ?? 0))} (${sampler.report()})\n`,
    );
    const summary = { runDir, backend, steps: outcome.steps, trainSeconds: outcome.trainSeconds };
    if (outcome.interrupted) {
      io.stdout(
        outcome.steps === 0
          ? 'interrupted before the first step; nothing was saved\n'
          : `interrupted at step ${outcome.steps}; the checkpoint is in ${runFiles(runDir).checkpoint}. Resume with: supernas train --resume ${runDir}\n`,
      );
      return { ...summary, interrupted: true, results: [] };
    }
    const results = options.skipEvaluation
      ? []
      : await evaluateAndReport({
          runDir,
          config,
          space,
          supernet,
          data: { train, test },
          summary: { backend: backend.name, steps: totalSteps, trainSeconds: outcome.trainSeconds },
          io,
          distributed: run,
          phases,
        });
    return { ...summary, interrupted: false, results };
  } finally {
    supernet.dispose();
  }
}

export type { Dataset };
