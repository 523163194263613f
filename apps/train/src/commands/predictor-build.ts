import { join } from 'node:path';
import { archKey } from '@supernas/search-space';
import type { Command } from 'commander';
import { type BackendChoice, backendChoices, parseBackendChoice } from '../backend.js';
import type { CliIo } from '../cli-io.js';
import { CliUsageError } from '../cli-usage-error.js';
import { parsePositiveInteger } from '../parse-options.js';
import { predictorBuildArchs, splitSamples, standardDeviation } from '../predictor/build-archs.js';
import {
  fitAndScore,
  fitFinal,
  type PredictorChoice,
  type PredictorScore,
  predictorChoices,
} from '../predictor/fit-predictors.js';
import { type HeldOutEvaluator, heldOutEvaluator } from '../predictor/held-out-evaluator.js';
import {
  appendSampleRecord,
  dropPartialLine,
  readSampleRecords,
  type SampleRecord,
} from '../predictor/sample-records.js';
import { atomicWrite } from '../run/atomic-write.js';
import { formatDuration, ProgressBar } from '../run/progress-bar.js';
import {
  type DistributedRun,
  endJobOnError,
  fanOutInRounds,
  localRun,
  resultOfWriter,
} from '../train/distributed.js';
import { type OpenRun, openRun } from '../train/open-run.js';
import { startTrainingJob } from '../train/start-training-job.js';

interface PredictorBuildOptions {
  readonly run: string;
  readonly samples: number;
  readonly predictor: PredictorChoice | 'best';
  readonly fitSamples?: number;
  readonly calibrationBatches?: number;
  readonly holdoutLimit?: number;
  readonly noiseArchs: number;
  readonly noiseSeeds: number;
  readonly backend?: BackendChoice;
}

/** The files `supernas predictor build` keeps in the run folder. */
export function predictorFiles(runDir: string) {
  return {
    samples: join(runDir, 'predictor-samples.jsonl'),
    noise: join(runDir, 'predictor-noise.jsonl'),
    predictor: join(runDir, 'predictor.json'),
    report: join(runDir, 'predictor-report.json'),
  };
}

const toRecord = (
  result: Awaited<ReturnType<HeldOutEvaluator['heldOut']>>,
  calibrationBatches: number,
  calibrationSeed: number,
): SampleRecord => ({
  key: result.key,
  arch: result.arch,
  mflops: result.mflops,
  params: result.params,
  top1: result.top1,
  examples: result.examples,
  calibrationBatches,
  calibrationSeed,
});

/**
 * Samples measured with other settings would mix two noise levels in one predictor: the build
 * refuses them rather than skipping or silently re-measuring.
 */
function checkSameSettings(
  records: readonly SampleRecord[],
  evaluator: HeldOutEvaluator,
  path: string,
): void {
  const other = records.find(
    (record) =>
      record.examples !== evaluator.examples ||
      (record.calibrationBatches !== undefined &&
        record.calibrationBatches !== evaluator.calibrationBatches),
  );
  if (other === undefined) return;
  throw new CliUsageError(
    `${path} holds archs measured on ${other.examples} held-out images${other.calibrationBatches === undefined ? '' : ` after ${other.calibrationBatches} calibration batches`}, this build measures on ${evaluator.examples} after ${evaluator.calibrationBatches}: give the same --holdout-limit and --calibration-batches, or move the file away to start over`,
  );
}

/**
 * Evaluates each of `jobs` not yet in `path` and appends it there, with a progress bar: an
 * interrupted build loses at most the archs it was evaluating. Under mpirun the missing archs
 * are shared out over the ranks, one per rank per round, and rank 0 appends each round.
 */
async function evaluateMissing(
  jobs: ReadonlyArray<{ readonly arch: SampleRecord['arch']; readonly calibrationSeed: number }>,
  path: string,
  evaluator: HeldOutEvaluator,
  label: string,
  distributed: DistributedRun,
): Promise<{ records: SampleRecord[]; archsPerSecond: number | null }> {
  const { io } = distributed;
  const jobKey = (key: string, seed: number) => `${key}@${seed}`;
  const existing = await resultOfWriter(distributed, async () => {
    await dropPartialLine(path);
    const records = await readSampleRecords(path);
    checkSameSettings(records, evaluator, path);
    return records;
  });
  const done = new Map(
    existing.map((record) => [jobKey(record.key, record.calibrationSeed), record]),
  );
  const missing = jobs.filter((job) => !done.has(jobKey(archKey(job.arch), job.calibrationSeed)));
  if (missing.length < jobs.length)
    io.stderr(`${label}: ${jobs.length - missing.length} of ${jobs.length} already in ${path}\n`);
  const progress = new ProgressBar(
    missing.length,
    { isTTY: false, write: distributed.isWriter ? io.stderr : () => undefined },
    label,
  );
  const start = performance.now();
  await fanOutInRounds(
    distributed,
    missing,
    async (job) =>
      toRecord(
        await evaluator.heldOut(job.arch, job.calibrationSeed),
        evaluator.calibrationBatches,
        job.calibrationSeed,
      ),
    async (round, count) => {
      for (const record of round) {
        if (distributed.isWriter) await appendSampleRecord(path, record);
        done.set(jobKey(record.key, record.calibrationSeed), record);
      }
      const last = round.at(-1)!;
      const seconds = (performance.now() - start) / 1000;
      progress.update(count, {
        detail: `top-1 ${(last.top1 * 100).toFixed(2)}% at ${last.mflops.toFixed(2)} MFLOPs`,
        imagesPerSecond: (last.examples * count) / seconds,
        etaSeconds: (seconds / count) * (missing.length - count),
      });
    },
  );
  const seconds = (performance.now() - start) / 1000;
  const archsPerSecond = missing.length === 0 ? null : missing.length / seconds;
  if (archsPerSecond !== null)
    io.stdout(
      `${label}: evaluated ${missing.length} archs in ${formatDuration(seconds)} (${archsPerSecond.toFixed(3)} archs/s, ${((missing.length * evaluator.examples) / seconds).toFixed(0)} held-out images/s)\n`,
    );
  return {
    records: jobs.map((job) => done.get(jobKey(archKey(job.arch), job.calibrationSeed))!),
    archsPerSecond,
  };
}

export interface PredictorBuildResult {
  readonly samples: number;
  readonly fit: number;
  readonly test: number;
  readonly scores: readonly PredictorScore[];
  readonly chosen: PredictorScore;
  readonly noise: {
    readonly archs: number;
    readonly seeds: number;
    readonly meanStd: number;
    readonly maxStd: number;
  };
  /** Binomial standard error of one held-out top-1, and the std of the samples' top-1 (points). */
  readonly samplingError: number;
  readonly spread: number;
  /** Of the evaluations this call made; null when every sample was already in the file. */
  readonly archsPerSecond: number | null;
}

/**
 * `supernas predictor build`: evaluates `samples` archs of a trained run on its held-out images,
 * fits predictors on part of them, scores them on the rest, measures how much one arch's top-1
 * moves with the calibration batches, and saves the best predictor as `predictor.json`.
 */
export async function buildPredictor(
  options: PredictorBuildOptions,
  io: CliIo,
  distributed: DistributedRun = localRun(io),
): Promise<PredictorBuildResult> {
  if (options.samples < 4)
    throw new CliUsageError(
      `--samples is ${options.samples}, expected at least 4 (some to fit, some to test)`,
    );
  const fitCount = options.fitSamples ?? Math.ceil(options.samples / 2);
  if (fitCount < 2 || fitCount > options.samples - 2)
    throw new CliUsageError(
      `--fit-samples is ${fitCount}, expected 2 to ${options.samples - 2} of the ${options.samples} samples (the rest are the test part)`,
    );
  const run = await openRun(options.run, options.backend, distributed.io);
  try {
    return await measureAndFit(options, fitCount, run, distributed);
  } finally {
    run.supernet.dispose();
  }
}

/**
 * What the calibration noise measured on repeated archs says about the spread between archs:
 * where the spread is under twice that noise, most of the order between archs is noise.
 */
export function noiseWarning(
  spread: number,
  noise: { readonly archs: number; readonly meanStd: number },
): string {
  if (noise.archs === 0) return '';
  const ratio = noise.meanStd > 0 ? spread / noise.meanStd : Number.POSITIVE_INFINITY;
  if (ratio >= 2)
    return `, ${Number.isFinite(ratio) ? `${ratio.toFixed(1)}x` : 'far above'} the calibration noise: enough to rank them`;
  return `, under twice the calibration noise (${noise.meanStd.toFixed(2)} points): most of the order between archs is noise, so no predictor can rank them well; calibrate on more batches (--calibration-batches) or measure on more held-out images`;
}

/** The build on an opened run: every rank evaluates its share, rank 0 fits and writes. */
async function measureAndFit(
  options: PredictorBuildOptions,
  fitCount: number,
  run: OpenRun,
  distributed: DistributedRun,
): Promise<PredictorBuildResult> {
  const { io } = distributed;
  const files = predictorFiles(run.runDir);
  const evaluator = heldOutEvaluator(run, {
    ...(options.calibrationBatches === undefined
      ? {}
      : { calibrationBatches: options.calibrationBatches }),
    ...(options.holdoutLimit === undefined ? {} : { holdoutLimit: options.holdoutLimit }),
  });
  const { seed } = run.config;
  const archs = predictorBuildArchs(run.space, options.samples, seed);
  if (archs.length < options.samples)
    throw new CliUsageError(
      `space ${run.space.name} holds only ${archs.length} distinct archs, fewer than --samples ${options.samples}`,
    );
  io.stdout(
    `predictor build: ${archs.length} archs of ${run.space.name} (min, max and uniform draws with seed ${seed}), each BN-calibrated and evaluated on ${evaluator.examples} held-out images; samples in ${files.samples}\n`,
  );
  const { records: samples, archsPerSecond } = await evaluateMissing(
    archs.map((arch) => ({ arch, calibrationSeed: seed })),
    files.samples,
    evaluator,
    'samples',
    distributed,
  );

  const noiseArchs = archs.slice(0, Math.min(options.noiseArchs, archs.length));
  const noiseSeeds = Array.from({ length: options.noiseSeeds }, (_, i) => seed + 1 + i);
  const { records: noiseRecords } = await evaluateMissing(
    noiseArchs.flatMap((arch) => noiseSeeds.map((calibrationSeed) => ({ arch, calibrationSeed }))),
    files.noise,
    evaluator,
    'noise',
    distributed,
  );
  const stds = noiseArchs.map((_, i) =>
    standardDeviation(
      noiseRecords
        .slice(i * noiseSeeds.length, (i + 1) * noiseSeeds.length)
        .map((r) => r.top1 * 100),
    ),
  );
  const noise = {
    archs: noiseArchs.length,
    seeds: noiseSeeds.length,
    meanStd: stds.reduce((sum, value) => sum + value, 0) / Math.max(stds.length, 1),
    maxStd: Math.max(0, ...stds),
  };
  if (noise.archs === 0) io.stdout('evaluation noise: not measured (--noise-archs 0)\n');
  else
    io.stdout(
      `evaluation noise: the same arch BN-calibrated on ${noise.seeds} different sets of training batches moves top-1 by a std of ${noise.meanStd.toFixed(2)} points (mean over ${noise.archs} archs; largest ${noise.maxStd.toFixed(2)})\n`,
    );
  const spread = standardDeviation(samples.map((record) => record.top1 * 100));
  const meanTop1 = samples.reduce((sum, record) => sum + record.top1, 0) / samples.length;
  const samplingError = 100 * Math.sqrt((meanTop1 * (1 - meanTop1)) / evaluator.examples);
  io.stdout(
    `sampling error of one top-1 on ${evaluator.examples} held-out images: ${samplingError.toFixed(2)} points (binomial, at the mean top-1 ${(meanTop1 * 100).toFixed(2)}%); every arch is measured on the same images, so most of it moves them together rather than reordering them\n`,
  );
  io.stdout(
    `the ${samples.length} archs spread by a std of ${spread.toFixed(2)} points${noiseWarning(spread, noise)}\n`,
  );

  return resultOfWriter(distributed, async () => {
    const { fit, test } = splitSamples(samples, fitCount, seed);
    const kinds = options.predictor === 'best' ? predictorChoices : [options.predictor];
    const scores: PredictorScore[] = [];
    for (const kind of kinds) {
      const score = await fitAndScore(kind, run.space, seed, fit, test);
      scores.push(score);
      io.stdout(
        `${kind.padEnd(5)} fit on ${fit.length}, tested on ${test.length}: Kendall tau ${score.kendallTau.toFixed(3)}, RMSE ${score.rmse.toFixed(2)} points (fit ${score.fitSeconds.toFixed(1)} s)\n`,
      );
    }
    const chosen = scores.reduce((best, score) =>
      score.kendallTau > best.kendallTau ? score : best,
    );
    const json = await fitFinal(chosen.kind, run.space, seed, samples);
    await atomicWrite(files.predictor, `${JSON.stringify(json)}\n`);
    const result: PredictorBuildResult = {
      samples: samples.length,
      fit: fit.length,
      test: test.length,
      scores,
      chosen,
      noise,
      samplingError,
      spread,
      archsPerSecond,
    };
    await atomicWrite(
      files.report,
      `${JSON.stringify({ format: 'supernas-predictor-report', formatVersion: 1, space: run.space.name, heldOutExamples: evaluator.examples, ...result }, null, 2)}\n`,
    );
    io.stdout(
      `wrote ${files.predictor}: ${chosen.kind} (Kendall tau ${chosen.kendallTau.toFixed(3)} on ${test.length} archs it had not seen), refitted on all ${samples.length} samples\n`,
    );
    return result;
  });
}

/** `supernas predictor build --run DIR --samples N`. */
export function registerPredictorBuildCommand(program: Command, io: CliIo): void {
  const predictor =
    program.commands.find((command) => command.name() === 'predictor') ??
    program.command('predictor').description('accuracy predictors: import, build');
  predictor
    .command('build')
    .description(
      "evaluate N archs of a trained run on its held-out images, fit accuracy predictors, report Kendall tau / RMSE on archs they have not seen and the evaluation noise, and save the best as the run's predictor.json",
    )
    .requiredOption('--run <dir>', 'a run folder written by supernas train')
    .requiredOption(
      '--samples <n>',
      'archs to evaluate (min, max and uniform draws)',
      parsePositiveInteger,
    )
    .option(
      '--predictor <kind>',
      `${predictorChoices.join(' | ')} | best (fit all, keep the best Kendall tau)`,
      (text: string) => {
        if (text !== 'best' && !(predictorChoices as readonly string[]).includes(text))
          throw new CliUsageError(
            `--predictor is '${text}', expected one of ${[...predictorChoices, 'best'].join(', ')}`,
          );
        return text;
      },
      'best',
    )
    .option(
      '--fit-samples <n>',
      'samples to fit on; the rest test (default half)',
      parsePositiveInteger,
    )
    .option(
      '--calibration-batches <k>',
      "BN calibration batches (default: the run's)",
      parsePositiveInteger,
    )
    .option(
      '--holdout-limit <m>',
      'evaluate on M held-out images (seeded) instead of all',
      parsePositiveInteger,
    )
    .option(
      '--noise-archs <n>',
      'archs evaluated again for the noise measurement (0: none)',
      (text: string) => (text.trim() === '0' ? 0 : parsePositiveInteger(text)),
      5,
    )
    .option('--noise-seeds <n>', 'calibration seeds per noise arch', parsePositiveInteger, 3)
    .option(
      '--backend <name>',
      `tfjs backend: ${backendChoices.join(' | ')} (default: the run's)`,
      parseBackendChoice,
    )
    .action(async (options: PredictorBuildOptions) => {
      const job = startTrainingJob(io, {
        sharing: 'the archs to evaluate are shared out',
      });
      try {
        await buildPredictor(options, io, job);
        await job.collective.close();
      } catch (error) {
        endJobOnError(job, error, program.opts<{ verbose?: boolean }>().verbose === true);
        throw error;
      }
    });
}
