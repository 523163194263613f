import { join } from 'node:path';
import type { Dataset } from '@supernas/data';
import type { Supernet } from '@supernas/elastic';
import { countFlops } from '@supernas/flops';
import {
  type ArchConfig,
  deriveRng,
  maxArch,
  minArch,
  type SearchSpace,
  sampleArch,
} from '@supernas/search-space';
import { PhaseTimes } from '@supernas/trainer';
import { nativeThreadAdaptation } from '../backend.js';
import type { CliIo } from '../cli-io.js';
import { atomicWrite } from '../run/atomic-write.js';
import { writeRunCharts } from '../run/write-run-charts.js';
import type { TrainRunConfig } from './config.js';
import { type DistributedRun, fanOut } from './distributed.js';
import { evaluateSubnet, type SubnetResult } from './evaluate-subnets.js';
import {
  formatPhaseTimes,
  formatThreadAdaptation,
  type ThreadAdaptationSummary,
} from './phase-report.js';
import { formatResultsTable } from './results-table.js';
import { runFiles } from './run-folder.js';

/** min, max, and `count` seeded middle archs, ordered by FLOPs. */
export function archsToEvaluate(
  space: SearchSpace,
  count: number,
  seed: number,
  numClasses: number,
): Array<{ label: string; arch: ArchConfig }> {
  const rng = deriveRng(seed, 'evaluation-archs');
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

export interface EvaluateAndReportInput {
  readonly runDir: string;
  readonly config: TrainRunConfig;
  readonly space: SearchSpace;
  readonly supernet: Supernet;
  readonly data: { readonly train: Dataset; readonly test: Dataset };
  readonly summary: {
    readonly backend: string;
    readonly steps: number;
    readonly trainSeconds: number;
  };
  readonly io: CliIo;
  /**
   * A data-parallel job: the subnets are shared out over the ranks, each calibrated and tested
   * whole on one rank (so each number equals one process's), and rank 0 writes the results.
   */
  readonly distributed?: Pick<DistributedRun, 'collective' | 'rank' | 'size' | 'isWriter'>;
  /**
   * The run's phase times so far (setup and training): calibration, evaluation and charts are
   * added, and results.json and the closing line report them with the process's wall time.
   */
  readonly phases?: PhaseTimes;
}

/**
 * After training: calibrates BN and evaluates min, max and the seeded middle subnets, prints the
 * table and writes results.json and the chart.
 */
export async function evaluateAndReport(input: EvaluateAndReportInput): Promise<SubnetResult[]> {
  const { config, space, supernet, data, io } = input;
  const phases = input.phases ?? new PhaseTimes();
  io.stdout(
    `evaluating: BN calibration on ${config.evaluation.calibrationBatches} batches of ${config.evaluation.calibrationBatchSize}, then the test split\n`,
  );
  const archs = archsToEvaluate(
    space,
    config.evaluation.middleArchs,
    config.seed,
    data.train.numClasses,
  );
  const evaluate = ({ label, arch }: (typeof archs)[number]) =>
    evaluateSubnet(supernet, arch, label, data, {
      ...config.evaluation,
      seed: config.seed,
      phases,
      ...(config.data.augmentation === undefined ? {} : { augmentation: config.data.augmentation }),
    });
  const results: SubnetResult[] = [];
  if (input.distributed === undefined) for (const item of archs) results.push(await evaluate(item));
  else results.push(...(await fanOut(input.distributed, archs, evaluate)));
  if (input.distributed?.isWriter === false) return results;
  io.stdout(`${formatResultsTable(results)}\n`);
  await phases.time('charts', () =>
    writeRunCharts(input.runDir, { results, space: space.name, dataset: data.train.name }),
  );
  // Node's performance clock starts with the process: this is the command's wall time so far.
  const wallSeconds = performance.now() / 1000;
  const adaptation = nativeThreadAdaptation();
  const threads: ThreadAdaptationSummary | undefined =
    adaptation?.active === true
      ? {
          maxThreads: adaptation.maxThreads,
          switches: adaptation.switches,
          reducedSeconds: adaptation.reducedSeconds,
        }
      : undefined;
  await atomicWrite(
    runFiles(input.runDir).results,
    `${JSON.stringify(
      {
        space: space.name,
        dataset: data.train.name,
        ...input.summary,
        wallSeconds,
        phaseSeconds: phases.toJSON(),
        ...(threads === undefined ? {} : { threads }),
        subnets: results,
      },
      null,
      2,
    )}\n`,
  );
  io.stdout(
    `results: ${runFiles(input.runDir).results}, chart: ${join(input.runDir, 'chart.png')}\n`,
  );
  io.stdout(`${formatPhaseTimes(phases, wallSeconds)}\n`);
  const threadsLine =
    threads === undefined ? undefined : formatThreadAdaptation(threads, wallSeconds);
  if (threadsLine !== undefined) io.stdout(`${threadsLine}\n`);
  return results;
}
