import { SupernasError } from '@supernas/errors';
import { countFlops } from '@supernas/flops';
import { createEvolutionarySearch, type SearchConstraints } from '@supernas/search';
import { type ArchConfig, archKey, getSearchSpace, type SearchSpace } from '@supernas/search-space';
import { EvaluatorOptionError, NoArchWithinBudgetError } from './errors.js';
import { type LatencyModel, predictLatency } from './latency-model.js';
import { bestWithinBudget, paretoFront } from './pareto-front.js';

/**
 * An accuracy predictor as `@supernas/predictors` provides it (`loadPredictor(json)` returns
 * one): predicted top-1 in [0, 1] for each arch.
 */
export interface AccuracyPredictor {
  predict(archs: readonly ArchConfig[]): readonly number[] | Promise<readonly number[]>;
}

/** A search budget: either latency on this device or MFLOPs. */
export type DeviceBudget = { readonly maxLatencyMs: number } | { readonly maxMflops: number };

/** An arch the page knows something about: its measured accuracy, its latency measured here. */
export interface KnownArch {
  readonly arch: ArchConfig;
  /** Measured top-1 in [0, 1] (an exported subnet's test top-1). */
  readonly accuracy?: number;
  /** Median latency measured on this device, in ms. */
  readonly latencyMs?: number;
}

/** The evolutionary search over the space, scored by the run's predictor. */
export interface PredictorSearch {
  /** The predictor file (JSON), for the worker's `loadPredictor`. */
  readonly json: unknown;
  /** Default 0. */
  readonly seed?: number;
  /** Parents per generation; default 64. */
  readonly populationSize?: number;
  /** Default 20. */
  readonly generations?: number;
}

/** Everything a search needs, as plain data: it is posted to the search worker as is. */
export interface SearchRequest {
  readonly space: string;
  readonly numClasses: number;
  readonly inputChannels: number;
  readonly budget: DeviceBudget;
  /**
   * Archs with a measured accuracy and/or a latency measured on this device. Measured latencies
   * override the latency model; without a predictor, the archs with an accuracy are the
   * candidates.
   */
  readonly known: readonly KnownArch[];
  /** Predicts latency for archs that were not measured. */
  readonly latencyModel?: LatencyModel;
  /**
   * Search the whole space with `@supernas/search`'s evolutionary search, fitness = the
   * predictor's accuracy. Needs a `loadPredictor` given to the worker; without one the search
   * ranks the known archs by their measured accuracy.
   */
  readonly predictor?: PredictorSearch;
}

/** One arch the search scored. */
export interface SearchCandidate {
  readonly arch: ArchConfig;
  readonly key: string;
  readonly accuracy: number;
  readonly accuracySource: 'measured' | 'predicted';
  readonly mflops: number;
  readonly latencyMs?: number;
  readonly latencySource?: 'measured' | 'predicted';
  /** Latency (ms) under a latency budget, MFLOPs under a MFLOPs budget. */
  readonly cost: number;
}

export interface SearchResult {
  readonly chosen: SearchCandidate;
  /** The front against the budget's cost, by increasing cost. */
  readonly front: readonly SearchCandidate[];
  /** The fronts against MFLOPs and (when every candidate has one) latency, for charts. */
  readonly fronts: {
    readonly mflops: readonly SearchCandidate[];
    readonly latency?: readonly SearchCandidate[];
  };
  /** Archs scored. */
  readonly evaluated: number;
  readonly method: 'evolutionary' | 'known archs';
  readonly budget: DeviceBudget;
}

export type PredictorLoader = (json: unknown) => AccuracyPredictor | Promise<AccuracyPredictor>;

/**
 * With a predictor: `@supernas/search`'s evolutionary search over the whole space under the
 * budget (fitness = predicted accuracy, latency = measured here or else the latency model),
 * plus the known archs scored the same way. Without one: the known archs with a measured
 * accuracy. Either way, the Pareto front of accuracy against cost and the most accurate arch
 * within budget.
 */
export async function runSearch(
  request: SearchRequest,
  loadPredictor?: PredictorLoader,
): Promise<SearchResult> {
  const space = getSearchSpace(request.space);
  const budget = budgetValue(request.budget);
  const byLatency = 'maxLatencyMs' in request.budget;
  const useSearch = request.predictor !== undefined && loadPredictor !== undefined;
  const measured = new Map(
    request.known
      .filter((known) => known.latencyMs !== undefined)
      .map((known) => [archKey(known.arch), known.latencyMs!]),
  );
  const needsModel = useSearch || request.known.some((known) => known.latencyMs === undefined);
  if (byLatency && request.latencyModel === undefined && needsModel)
    throw new EvaluatorOptionError(
      'latencyModel',
      undefined,
      'a latency model for unmeasured archs under a latency budget',
    );
  const latencyOf = (arch: ArchConfig): number | undefined =>
    measured.get(archKey(arch)) ??
    (request.latencyModel === undefined
      ? undefined
      : predictLatency(request.latencyModel, space, arch));
  const candidate = (
    arch: ArchConfig,
    accuracy: number,
    accuracySource: 'measured' | 'predicted',
  ): SearchCandidate => {
    const key = archKey(arch);
    const mflops = countFlops(space, arch, request).flops / 1e6;
    const latencyMs = latencyOf(arch);
    return {
      arch,
      key,
      accuracy,
      accuracySource,
      mflops,
      ...(latencyMs === undefined
        ? {}
        : { latencyMs, latencySource: measured.has(key) ? 'measured' : 'predicted' }),
      cost: byLatency ? (latencyMs as number) : mflops,
    };
  };

  let candidates: SearchCandidate[];
  if (useSearch) {
    const predictor = await loadPredictor(request.predictor!.json);
    const archs = await evolve(space, request, budget, predictor, latencyOf);
    const seen = new Set(archs.map(archKey));
    for (const known of request.known) {
      if (!seen.has(archKey(known.arch))) {
        seen.add(archKey(known.arch));
        archs.push(known.arch);
      }
    }
    const accuracies = await predictor.predict(archs);
    candidates = archs.map((arch, index) => candidate(arch, accuracies[index]!, 'predicted'));
  } else {
    candidates = request.known
      .filter((known) => known.accuracy !== undefined)
      .map((known) => candidate(known.arch, known.accuracy!, 'measured'));
  }
  const front = paretoFront(candidates);
  const chosen = bestWithinBudget(front, budget);
  if (chosen === undefined) {
    throw new NoArchWithinBudgetError(budgetLabel(request.budget), front[0]?.cost ?? Number.NaN);
  }
  const withLatency = candidates.every((entry) => entry.latencyMs !== undefined);
  return {
    chosen,
    front,
    fronts: {
      mflops: paretoFront(candidates.map((entry) => ({ ...entry, cost: entry.mflops }))),
      ...(withLatency
        ? {
            latency: paretoFront(
              candidates.map((entry) => ({ ...entry, cost: entry.latencyMs as number })),
            ),
          }
        : {}),
    },
    evaluated: candidates.length,
    method: useSearch ? 'evolutionary' : 'known archs',
    budget: request.budget,
  };
}

/** The archs the evolutionary search evaluated, every one within the budget. */
async function evolve(
  space: SearchSpace,
  request: SearchRequest,
  budget: number,
  predictor: AccuracyPredictor,
  latencyOf: (arch: ArchConfig) => number | undefined,
): Promise<ArchConfig[]> {
  const byLatency = 'maxLatencyMs' in request.budget;
  const constraints: SearchConstraints = byLatency
    ? { latency: { max: budget } }
    : { mflops: { max: budget } };
  const settings = request.predictor!;
  try {
    const search = createEvolutionarySearch({
      space,
      numClasses: request.numClasses,
      inputChannels: request.inputChannels,
      fitness: (archs) => predictor.predict(archs),
      constraints,
      ...(byLatency ? { latency: (arch: ArchConfig) => latencyOf(arch) as number } : {}),
      seed: settings.seed ?? 0,
      ...(settings.populationSize === undefined ? {} : { populationSize: settings.populationSize }),
      ...(settings.generations === undefined ? {} : { generations: settings.generations }),
    });
    await search.run();
    return search.state().evaluated.map((entry) => entry.arch);
  } catch (error) {
    // A budget below the smallest arch, or one no drawn arch could be moved into: no arch fits.
    if (
      SupernasError.isInstance(error) &&
      (error.code === 'budget_infeasible' || error.code === 'constraint_unsatisfied')
    )
      return [];
    throw error;
  }
}

function budgetValue(budget: DeviceBudget): number {
  const [name, value] =
    'maxLatencyMs' in budget
      ? ['maxLatencyMs', budget.maxLatencyMs]
      : ['maxMflops', budget.maxMflops];
  if (!(typeof value === 'number' && value > 0))
    throw new EvaluatorOptionError(name, value, 'a positive number');
  return value;
}

function budgetLabel(budget: DeviceBudget): string {
  return 'maxLatencyMs' in budget
    ? `a latency budget of ${budget.maxLatencyMs} ms`
    : `a budget of ${budget.maxMflops} MFLOPs`;
}
