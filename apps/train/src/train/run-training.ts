import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type BatchIteratorState, createBatchIterator, type Dataset } from '@supernas/data';
import {
  createSupernet,
  disposeCheckpoint,
  loadCheckpoint,
  registerGradients,
  restoreOptimizer,
  restoreSupernet,
  saveSupernet,
} from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
import { countFlops, flopsPrior } from '@supernas/flops';
import {
  attentiveSampler,
  type Sampler,
  type SamplerState,
  sandwichSampler,
  uniformSampler,
} from '@supernas/samplers';
import {
  type ArchConfig,
  createRng,
  getSearchSpace,
  maxArch,
  minArch,
  type SearchSpace,
  sampleArch,
} from '@supernas/search-space';
import {
  type DistillationConfig,
  Sgd,
  type StepRecord,
  type TrainConfig,
  trainSupernet,
} from '@supernas/trainer';
import { type SelectedBackend, selectBackend } from '../backend.js';
import type { CliIo } from '../cli-io.js';
import { CliUsageError } from '../cli-usage-error.js';
import { atomicWrite } from '../run/atomic-write.js';
import { MetricsWriter } from '../run/metrics-writer.js';
import { formatDuration, ProgressBar } from '../run/progress-bar.js';
import { writeRunCharts } from '../run/write-run-charts.js';
import { parseTrainConfig, type TrainRunConfig } from './config.js';
import { evaluateSubnet, type SubnetResult } from './evaluate-subnets.js';
import { loadRunDataset } from './load-dataset.js';
import { formatResultsTable } from './results-table.js';

export interface RunTrainingOptions {
  readonly config: TrainRunConfig;
  /** Where the run's files go; a fresh `runs/<timestamp>` when absent. */
  readonly runDir?: string;
  /** Continue the run in this folder from its checkpoint. */
  readonly resume?: boolean;
  readonly io: CliIo;
  readonly signal?: AbortSignal;
  /** Called after each step's record is written (progress UIs, tests). */
  readonly onStep?: (record: StepRecord) => void;
  /** Skip the evaluation after training (tests). */
  readonly skipEvaluation?: boolean;
}

export interface RunTrainingResult {
  readonly runDir: string;
  readonly backend: SelectedBackend;
  readonly steps: number;
  readonly interrupted: boolean;
  readonly results: readonly SubnetResult[];
  readonly trainSeconds: number;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/**
 * The side of the training batches, which `sandwichStep` then resizes to each subnet's
 * resolution: small fixed-size images (Fashion-MNIST, CIFAR) at their own size, so each subnet
 * sees them resampled once, as in calibration and evaluation; larger or mixed-size images (image
 * folders) cropped to the space's largest resolution.
 */
export function trainingBatchResolution(
  dataset: Pick<Dataset, 'height' | 'width'>,
  space: SearchSpace,
): number {
  const largest = Math.max(...space.resolutions);
  const { height, width } = dataset;
  return height !== undefined && height === width && height <= largest ? height : largest;
}

/** The trainer's config for a run of `totalSteps` steps of `batchesPerEpoch` batches an epoch. */
export function trainConfigOf(
  config: TrainRunConfig,
  totalSteps: number,
  batchesPerEpoch: number,
): TrainConfig {
  const { training } = config;
  const { distillation, labelWarmupSteps } = splitDistillation(
    config.distillation,
    batchesPerEpoch,
  );
  return {
    totalSteps,
    warmupSteps: Math.min(totalSteps, Math.round(training.warmupFraction * totalSteps)),
    baseLr: training.baseLr,
    minLr: training.minLr,
    momentum: training.momentum,
    nesterov: training.nesterov,
    weightDecay: training.weightDecay,
    seed: config.seed,
    checkpointEvery: training.checkpointEvery,
    labelSmoothing: training.labelSmoothing,
    dropout: training.dropout,
    dropConnect: training.dropConnect,
    gradClipValue: training.gradClipValue,
    distillation,
    labelWarmupSteps,
  };
}

function splitDistillation(
  config: TrainRunConfig['distillation'],
  batchesPerEpoch: number,
): { distillation: DistillationConfig; labelWarmupSteps: number } {
  if (config.kind === 'none') return { distillation: config, labelWarmupSteps: 0 };
  const { labelWarmupEpochs, ...distillation } = config;
  return { distillation, labelWarmupSteps: Math.round(labelWarmupEpochs * batchesPerEpoch) };
}

function makeSampler(
  space: SearchSpace,
  config: TrainRunConfig,
  numClasses: number,
  inputChannels: number,
): Sampler {
  const rng = createRng(config.seed + 17);
  const inner =
    config.sampler.kind === 'uniform'
      ? uniformSampler({ space, rng: rng.fork() })
      : attentiveSampler({
          space,
          prior: flopsPrior(space, {
            samples: config.sampler.priorSamples,
            bins: config.sampler.priorBins,
            rng: rng.fork(),
            numClasses,
            inputChannels,
          }),
          candidates: config.sampler.candidates,
          mode: config.sampler.mode,
          rng: rng.fork(),
          numClasses,
        });
  return sandwichSampler({ space, middle: config.sampler.middle, inner });
}

/** min, max, and `count` seeded middle archs, ordered by FLOPs. */
export function archsToEvaluate(
  space: SearchSpace,
  count: number,
  seed: number,
  numClasses: number,
): Array<{ label: string; arch: ArchConfig }> {
  const rng = createRng(seed + 101);
  const middle = Array.from({ length: count }, () => sampleArch(space, rng))
    .map((arch) => ({ arch, flops: countFlops(space, arch, { numClasses }).flops }))
    .sort((a, b) => a.flops - b.flops)
    .map(({ arch }, index) => ({ label: `mid-${index + 1}`, arch }));
  return [
    { label: 'min', arch: minArch(space) },
    ...middle,
    { label: 'max', arch: maxArch(space) },
  ];
}

/**
 * `supernas train`: trains a supernet as the config says, writing everything to a run folder
 * (config, metrics, checkpoint, results table and chart), then calibrates BN and evaluates
 * min, max and a few middle subnets.
 */
export async function runTraining(options: RunTrainingOptions): Promise<RunTrainingResult> {
  const { io } = options;
  const runDir = resolve(options.runDir ?? join('runs', timestamp()));
  let config = options.config;
  const checkpointDir = join(runDir, 'checkpoint');
  if (options.resume) {
    const saved = await readFile(join(runDir, 'config.json'), 'utf8').catch(() => {
      throw new CliUsageError(
        `Cannot resume: ${join(runDir, 'config.json')} does not exist (is ${runDir} a supernas run folder?)`,
      );
    });
    config = parseTrainConfig(JSON.parse(saved), join(runDir, 'config.json'));
  }
  const space = getSearchSpace(config.space);
  await mkdir(runDir, { recursive: true });
  if (!options.resume)
    await atomicWrite(join(runDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);

  const backend = await selectBackend(config.backend, (line) => io.stderr(`backend: ${line}\n`));
  io.stdout(`backend: ${backend.description}\n`);
  await registerGradients();

  const [train, test] = await Promise.all([
    loadRunDataset(config.data, 'train', config.seed),
    loadRunDataset(config.data, 'test', config.seed),
  ]);
  io.stdout(`data: ${train.name} train ${train.size} / test ${test.size} (${train.origin})\n`);
  const numClasses = train.numClasses;
  const inputChannels = train.channels;
  const batchSize = config.data.batchSize;
  const batchesPerEpoch = Math.floor(train.size / batchSize);
  if (batchesPerEpoch < 1)
    throw new CliUsageError(
      `data.batchSize ${batchSize} is larger than the training set (${train.size} examples)`,
    );
  const totalSteps =
    config.training.steps ?? Math.max(1, Math.round(config.training.epochs * batchesPerEpoch));
  const trainConfig = trainConfigOf(config, totalSteps, batchesPerEpoch);

  const supernet = createSupernet(space, { numClasses, inputChannels, seed: config.seed });
  const sampler = makeSampler(space, config, numClasses, inputChannels);
  let optimizer: Sgd | undefined;
  let startStep = 0;
  let dataState: BatchIteratorState | undefined;
  if (options.resume) {
    const checkpoint = await loadCheckpoint(fileSystemHandler(checkpointDir));
    try {
      restoreSupernet(supernet, checkpoint);
      optimizer = new Sgd({
        momentum: trainConfig.momentum,
        nesterov: trainConfig.nesterov,
        weightDecay: trainConfig.weightDecay,
      });
      await restoreOptimizer(optimizer, checkpoint, supernet);
      sampler.restore(checkpoint.metadata.samplerState as SamplerState);
      dataState = checkpoint.metadata.dataState as BatchIteratorState;
      startStep = checkpoint.step;
    } finally {
      disposeCheckpoint(checkpoint);
    }
    io.stdout(`resuming ${runDir} at step ${startStep} of ${totalSteps}\n`);
  }

  const data = createBatchIterator(train, {
    batchSize,
    mode: 'train',
    ...(config.data.augmentation === undefined ? {} : { augmentation: config.data.augmentation }),
    ...(dataState === undefined ? { rng: createRng(config.seed + 7) } : { state: dataState }),
    resolution: trainingBatchResolution(train, space),
  });
  const metrics = new MetricsWriter(join(runDir, 'metrics.jsonl'));
  const progress = new ProgressBar(totalSteps, process.stderr);
  let smoothedStepSeconds = 0;
  let epochLosses: number[][] = [];
  const onStep = (record: StepRecord) => {
    smoothedStepSeconds =
      smoothedStepSeconds === 0
        ? record.stepSeconds
        : 0.9 * smoothedStepSeconds + 0.1 * record.stepSeconds;
    metrics.write({
      ...record,
      epoch: Math.floor((record.step - 1) / batchesPerEpoch),
      losses: record.losses.map(({ role, loss, arch }) => ({
        role,
        loss,
        mflops: countFlops(space, arch, { numClasses, inputChannels }).flops / 1e6,
        arch,
      })),
    });
    epochLosses.push(record.losses.map((entry) => entry.loss));
    if (record.step % batchesPerEpoch === 0 || record.step === totalSteps) {
      const roles = record.losses.map((entry) => entry.role);
      metrics.write({
        type: 'epoch',
        epoch: Math.floor((record.step - 1) / batchesPerEpoch),
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
    progress.update(record.step, {
      loss: record.losses[0]?.loss ?? Number.NaN,
      imagesPerSecond: record.imagesPerSecond,
      etaSeconds: (totalSteps - record.step) * smoothedStepSeconds,
    });
    options.onStep?.(record);
  };
  const saveCheckpoint = async (
    state: { step: number; samplerState: SamplerState; dataState: BatchIteratorState },
    current: Sgd,
  ) => {
    await saveSupernet(supernet, fileSystemHandler(checkpointDir), {
      optimizer: current,
      step: state.step,
      metadata: { samplerState: state.samplerState, dataState: state.dataState, totalSteps },
    });
  };

  io.stdout(
    `training ${space.name} supernet: ${totalSteps} steps of batch ${batchSize}, sampler ${sampler.name}, distillation ${config.distillation.kind}, run folder ${runDir}\n`,
  );
  const startedAt = performance.now();
  let outcome: Awaited<ReturnType<typeof trainSupernet>>;
  try {
    outcome = await trainSupernet({
      supernet,
      sampler,
      data,
      config: trainConfig,
      ...(optimizer === undefined ? {} : { optimizer }),
      startStep,
      onStep,
      saveCheckpoint,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } finally {
    data.close();
  }
  const trainSeconds = (performance.now() - startedAt) / 1000;
  io.stdout(
    `trained ${outcome.steps - startStep} steps in ${formatDuration(trainSeconds)} (${sampler.report()})\n`,
  );
  if (outcome.interrupted) {
    io.stdout(
      `interrupted at step ${outcome.steps}; the checkpoint is in ${checkpointDir}. Resume with: supernas train --resume ${runDir}\n`,
    );
    outcome.optimizer.dispose();
    supernet.dispose();
    return { runDir, backend, steps: outcome.steps, interrupted: true, results: [], trainSeconds };
  }
  outcome.optimizer.dispose();

  const results: SubnetResult[] = [];
  if (!options.skipEvaluation) {
    io.stdout(
      `evaluating: BN calibration on ${config.evaluation.calibrationBatches} batches of ${config.evaluation.calibrationBatchSize}, then the test split\n`,
    );
    for (const { label, arch } of archsToEvaluate(
      space,
      config.evaluation.middleArchs,
      config.seed,
      numClasses,
    )) {
      results.push(
        await evaluateSubnet(
          supernet,
          arch,
          label,
          { train, test },
          {
            ...config.evaluation,
            seed: config.seed,
            ...(config.data.augmentation === undefined
              ? {}
              : { augmentation: config.data.augmentation }),
          },
        ),
      );
    }
    io.stdout(`${formatResultsTable(results)}\n`);
    await writeResults(runDir, results, {
      space: space.name,
      dataset: train.name,
      backend: backend.name,
      steps: totalSteps,
      trainSeconds,
    });
    io.stdout(`results: ${join(runDir, 'results.json')}, chart: ${join(runDir, 'chart.png')}\n`);
  }
  supernet.dispose();
  return { runDir, backend, steps: outcome.steps, interrupted: false, results, trainSeconds };
}

async function writeResults(
  runDir: string,
  results: readonly SubnetResult[],
  summary: Record<string, unknown>,
): Promise<void> {
  await atomicWrite(
    join(runDir, 'results.json'),
    `${JSON.stringify({ ...summary, subnets: results }, null, 2)}\n`,
  );
  await writeRunCharts(runDir, {
    results,
    space: String(summary.space),
    dataset: String(summary.dataset),
  });
}

export type { Dataset };
