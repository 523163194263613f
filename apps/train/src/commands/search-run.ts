import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { countFlops } from '@supernas/flops';
import {
  createEvolutionarySearch,
  type EvaluatedArch,
  type FitnessFunction,
  type SearchConstraints,
  type SearchResult,
} from '@supernas/search';
import { type ArchConfig, archKey, createRng, sampleArch } from '@supernas/search-space';
import type { BackendChoice } from '../backend.js';
import type { CliIo } from '../cli-io.js';
import { CliUsageError } from '../cli-usage-error.js';
import { type HeldOutEvaluator, heldOutEvaluator } from '../predictor/held-out-evaluator.js';
import { atomicWrite } from '../run/atomic-write.js';
import { ProgressBar } from '../run/progress-bar.js';
import { renderSvg } from '../run/render-chart.js';
import { searchChartSpec } from '../run/search-chart-spec.js';
import { writeChart } from '../run/write-run-charts.js';
import {
  checkSameOnEveryRank,
  type DistributedRun,
  fanOutInRounds,
  localRun,
  resultOfWriter,
} from '../train/distributed.js';
import type { SubnetResult } from '../train/evaluate-subnets.js';
import { openRun } from '../train/open-run.js';
import { predictorFiles } from './predictor-build.js';
import { readJson, readPredictor, writeSearchFiles } from './search-files.js';

export interface RunSearchOptions {
  readonly run: string;
  readonly out?: string;
  readonly constraints: SearchConstraints;
  readonly population: number;
  readonly generations: number;
  readonly seed: number;
  readonly fitness: 'predictor' | 'eval';
  /** Measure the chosen arch on the held-out and test images (always with `fitness: eval`). */
  readonly eval?: boolean;
  /** Also evaluate this many random archs under the budget, the baseline the search must beat. */
  readonly random?: number;
  readonly calibrationBatches?: number;
  readonly holdoutLimit?: number;
  readonly backend?: BackendChoice;
  readonly resume?: boolean;
}

export interface RunSearchResult {
  readonly search: SearchResult;
  readonly out: string;
  readonly chosen?: { readonly heldOut: SubnetResult; readonly test: SubnetResult };
  readonly random?: {
    readonly best: SubnetResult;
    readonly test: SubnetResult;
    readonly count: number;
  };
}

const percent = (result: SubnetResult) => `${(result.top1 * 100).toFixed(2)}%`;

/**
 * Held-out evaluation cached per arch key, with a progress bar per batch of archs. Under mpirun
 * each batch's uncached archs are shared out over the ranks and every rank gets every result, so
 * the seeded search goes on identically on each; the ranks check that they ask for the same archs.
 */
function cachedEvaluation(evaluator: HeldOutEvaluator, distributed: DistributedRun) {
  const { io } = distributed;
  const cache = new Map<string, SubnetResult>();
  const evaluateAll = async (archs: readonly ArchConfig[]) => {
    const keys = archs.map(archKey);
    await checkSameOnEveryRank(
      distributed,
      'the archs the search asks to evaluate',
      createHash('sha256').update(keys.join('\n')).digest('hex'),
    );
    const missing = [
      ...new Map(
        archs.flatMap((arch, index) => (cache.has(keys[index]!) ? [] : [[keys[index]!, arch]])),
      ).values(),
    ];
    const progress = new ProgressBar(
      archs.length,
      { isTTY: false, write: distributed.isWriter ? io.stderr : () => undefined },
      'evaluate',
    );
    const cached = archs.length - missing.length;
    const start = performance.now();
    await fanOutInRounds(
      distributed,
      missing,
      (arch) => evaluator.heldOut(arch),
      (round, count) => {
        for (const result of round) cache.set(result.key, result);
        const last = round.at(-1)!;
        const seconds = (performance.now() - start) / 1000;
        progress.update(cached + count, {
          detail: `held-out top-1 ${percent(last)} at ${last.mflops.toFixed(2)} MFLOPs`,
          imagesPerSecond: (evaluator.examples * count) / seconds,
          etaSeconds: (seconds / count) * (missing.length - count),
        });
      },
    );
    return keys.map((key) => cache.get(key)!);
  };
  const one = async (arch: ArchConfig) => (await evaluateAll([arch]))[0]!;
  const fitness: FitnessFunction = async (archs) =>
    (await evaluateAll(archs)).map((result) => result.top1 * 100);
  return { one, evaluateAll, fitness };
}

/** `count` seeded random archs within the constraints (rejection sampling). */
function randomArchsInBudget(
  space: OpenRunSpace,
  constraints: SearchConstraints,
  model: { numClasses: number; inputChannels: number },
  count: number,
  seed: number,
): ArchConfig[] {
  const rng = createRng(seed);
  const archs: ArchConfig[] = [];
  const within = (value: number, bounds?: { min?: number | undefined; max?: number | undefined }) =>
    bounds === undefined ||
    ((bounds.min === undefined || value >= bounds.min) &&
      (bounds.max === undefined || value <= bounds.max));
  for (let draws = 0; archs.length < count && draws < count * 10_000; draws++) {
    const arch = sampleArch(space, rng);
    const { flops, params } = countFlops(space, arch, model);
    if (within(flops / 1e6, constraints.mflops) && within(params, constraints.params))
      archs.push(arch);
  }
  return archs;
}
type OpenRunSpace = Parameters<typeof sampleArch>[0];

/**
 * `supernas search --run DIR`: searches a trained run's space under a budget, scoring archs with
 * the run's predictor (`predictor.json`, from `supernas predictor build`) or by evaluating them
 * on the run's held-out images; writes arch.json, pareto.json, search-state.json and
 * search-chart.svg/.png into `out` (default `DIR/search`), and with `eval` reports the chosen
 * arch's held-out and test top-1.
 */
export async function runRunSearch(
  options: RunSearchOptions,
  cliIo: CliIo,
  distributed: DistributedRun = localRun(cliIo),
): Promise<RunSearchResult> {
  const { io } = distributed;
  const run = await openRun(options.run, options.backend, io);
  try {
    const { space } = run;
    const model = { numClasses: run.train.numClasses, inputChannels: run.train.channels };
    const needEvaluator = options.fitness === 'eval' || options.eval || (options.random ?? 0) > 0;
    const evaluator = needEvaluator
      ? heldOutEvaluator(run, {
          ...(options.calibrationBatches === undefined
            ? {}
            : { calibrationBatches: options.calibrationBatches }),
          ...(options.holdoutLimit === undefined ? {} : { holdoutLimit: options.holdoutLimit }),
        })
      : undefined;
    const evaluation =
      evaluator === undefined ? undefined : cachedEvaluation(evaluator, distributed);
    let objective: string;
    let fitness: FitnessFunction | Awaited<ReturnType<typeof readPredictor>>;
    if (options.fitness === 'eval') {
      fitness = evaluation!.fitness;
      objective = `held-out top-1 (BN-calibrated, ${evaluator!.examples} held-out images)`;
    } else {
      const path = predictorFiles(run.runDir).predictor;
      if (!existsSync(path))
        throw new CliUsageError(
          `${run.runDir} has no predictor (${path} does not exist): build one with supernas predictor build --run ${run.runDir} --samples N, or search with --fitness eval`,
        );
      fitness = await readPredictor(path, space);
      objective = `predicted held-out top-1 (${fitness.kind} predictor ${path})`;
    }
    const out = options.out ?? join(run.runDir, 'search');
    // Rank 0 writes; the others read the same folder (a --resume state, say).
    await resultOfWriter(distributed, () => mkdir(out, { recursive: true }).then(() => null));
    const statePath = join(out, 'search-state.json');
    const start = performance.now();
    const search = createEvolutionarySearch({
      space,
      fitness,
      ...model,
      constraints: options.constraints,
      populationSize: options.population,
      generations: options.generations,
      seed: options.seed,
      onGeneration: ({ generation, generations, evaluated, best }) => {
        const seconds = (performance.now() - start) / 1000;
        io.stdout(
          `generation ${generation}/${generations}: ${evaluated} archs evaluated, best ${best.fitness.toFixed(2)}% at ${best.mflops.toFixed(2)} MFLOPs (${seconds.toFixed(1)} s)\n`,
        );
      },
    });
    if (options.resume) {
      if (!existsSync(statePath))
        throw new CliUsageError(`--resume: no ${statePath} to resume from`);
      search.resume(
        (await readJson(statePath, 'search state')) as Parameters<typeof search.resume>[0],
      );
      io.stdout(`resuming after generation ${search.generation}\n`);
    }
    while (search.generation < search.generations) {
      await search.step();
      if (distributed.isWriter) await atomicWrite(statePath, JSON.stringify(search.state()));
    }
    const result = search.result();
    await resultOfWriter(distributed, async () => {
      await writeSearchFiles(out, {
        space,
        objective,
        constraints: options.constraints,
        numClasses: model.numClasses,
        result,
      });
      const evaluated = search.state().evaluated;
      const front = new Set(result.paretoFronts.mflops.map((entry) => entry.key));
      const spec = searchChartSpec(
        evaluated.map((entry: EvaluatedArch) => ({
          mflops: entry.mflops,
          top1: entry.fitness,
          onFront: front.has(entry.key),
          chosen: entry.key === result.best.key,
        })),
        {
          title: `search of ${space.name} (${run.runDir}): ${evaluated.length} archs`,
          accuracyTitle: options.fitness === 'eval' ? 'held-out top-1 (%)' : 'predicted top-1 (%)',
        },
      );
      await writeChart(out, 'search-chart', await renderSvg(spec));
      return null;
    });
    io.stdout(
      `best: ${options.fitness === 'eval' ? 'held-out' : 'predicted'} ${result.best.fitness.toFixed(2)}% at ${result.best.mflops.toFixed(2)} MFLOPs, ${result.best.params} params (${result.evaluated} archs evaluated; MFLOPs front of ${result.paretoFronts.mflops.length})\n` +
        `wrote ${join(out, 'arch.json')}, ${join(out, 'pareto.json')} and ${join(out, 'search-chart.png')}\n`,
    );

    let chosen: RunSearchResult['chosen'];
    if (evaluation !== undefined && (options.fitness === 'eval' || options.eval)) {
      const heldOut = await evaluation.one(result.best.arch);
      const test = await resultOfWriter(distributed, () => evaluator!.test(result.best.arch));
      chosen = { heldOut, test };
      io.stdout(
        `chosen arch: held-out top-1 ${percent(heldOut)} (${heldOut.examples} images), test top-1 ${percent(test)} (${test.examples} images)\n`,
      );
    }
    let random: RunSearchResult['random'];
    if (evaluation !== undefined && (options.random ?? 0) > 0) {
      const archs = randomArchsInBudget(
        space,
        options.constraints,
        model,
        options.random!,
        options.seed + 1,
      );
      io.stdout(
        `baseline: ${archs.length} random archs within the budget, evaluated the same way\n`,
      );
      const results = await evaluation.evaluateAll(archs);
      const best = results.reduce((top, entry) => (entry.top1 > top.top1 ? entry : top));
      const test = await resultOfWriter(distributed, () => evaluator!.test(best.arch));
      random = { best, test, count: archs.length };
      io.stdout(
        `best of ${archs.length} random: held-out top-1 ${percent(best)} at ${best.mflops.toFixed(2)} MFLOPs, test top-1 ${percent(test)}\n`,
      );
    }
    return {
      search: result,
      out,
      ...(chosen === undefined ? {} : { chosen }),
      ...(random === undefined ? {} : { random }),
    };
  } finally {
    run.supernet.dispose();
  }
}
