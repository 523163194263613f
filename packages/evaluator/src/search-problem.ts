import { countFlops } from '@supernas/flops';
import {
  type ArchConfig,
  archKey,
  createRng,
  getSearchSpace,
  type SearchSpace,
  sampleArch,
} from '@supernas/search-space';
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

/** Everything a search needs, as plain data: it is posted to the search worker as is. */
export interface SearchRequest {
  readonly space: string;
  readonly numClasses: number;
  readonly inputChannels: number;
  readonly budget: DeviceBudget;
  /** Archs with a known accuracy (exported subnets' test top-1) and, when measured, latency. */
  readonly known: readonly {
    readonly arch: ArchConfig;
    readonly accuracy: number;
    readonly latencyMs?: number;
  }[];
  /** Predicts latency for archs that were not measured (with a latency budget). */
  readonly latencyModel?: LatencyModel;
  /**
   * A predictor file (JSON) and how many archs to draw from the space for it to score. Needs a
   * `loadPredictor` given to the worker; without one the search ranks the known archs only.
   */
  readonly predictor?: { readonly json: unknown; readonly samples: number; readonly seed: number };
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
  /** By increasing cost. */
  readonly front: readonly SearchCandidate[];
  readonly evaluated: number;
  readonly budget: DeviceBudget;
}

export type PredictorLoader = (json: unknown) => AccuracyPredictor | Promise<AccuracyPredictor>;

/**
 * Scores candidates (known archs, plus archs drawn from the space when a predictor is given),
 * keeps the Pareto front of accuracy against cost, and picks the most accurate arch within budget.
 */
export async function runSearch(
  request: SearchRequest,
  loadPredictor?: PredictorLoader,
): Promise<SearchResult> {
  const space = getSearchSpace(request.space);
  const budget = budgetValue(request.budget);
  const byLatency = 'maxLatencyMs' in request.budget;
  if (
    byLatency &&
    request.latencyModel === undefined &&
    request.known.some((k) => k.latencyMs === undefined)
  )
    throw new EvaluatorOptionError(
      'latencyModel',
      undefined,
      'a latency model for unmeasured archs under a latency budget',
    );
  const candidates: SearchCandidate[] = request.known.map((known) =>
    candidate(space, request, known.arch, known.accuracy, 'measured', known.latencyMs),
  );
  if (request.predictor !== undefined && loadPredictor !== undefined) {
    // A uniform draw for now; @supernas/search's evolutionary search (fitness = predictor,
    // cost = latency model or MFLOPs) replaces it when that package lands.
    const predictor = await loadPredictor(request.predictor.json);
    const rng = createRng(request.predictor.seed);
    const seen = new Set(candidates.map((c) => c.key));
    const drawn: ArchConfig[] = [];
    for (let index = 0; index < request.predictor.samples; index++) {
      const arch = sampleArch(space, rng);
      if (!seen.has(archKey(arch))) {
        seen.add(archKey(arch));
        drawn.push(arch);
      }
    }
    const accuracies = await predictor.predict(drawn);
    for (const [index, arch] of drawn.entries()) {
      candidates.push(candidate(space, request, arch, accuracies[index]!, 'predicted', undefined));
    }
  }
  const front = paretoFront(candidates);
  const chosen = bestWithinBudget(front, budget);
  if (chosen === undefined) {
    const cheapest = front[0]?.cost ?? Number.NaN;
    throw new NoArchWithinBudgetError(budgetLabel(request.budget), cheapest);
  }
  return { chosen, front, evaluated: candidates.length, budget: request.budget };

  function candidate(
    searchSpace: SearchSpace,
    searchRequest: SearchRequest,
    arch: ArchConfig,
    accuracy: number,
    accuracySource: 'measured' | 'predicted',
    measuredLatency: number | undefined,
  ): SearchCandidate {
    const mflops = countFlops(searchSpace, arch, searchRequest).flops / 1e6;
    const predicted =
      measuredLatency === undefined && searchRequest.latencyModel !== undefined
        ? predictLatency(searchRequest.latencyModel, searchSpace, arch)
        : undefined;
    const latencyMs = measuredLatency ?? predicted;
    return {
      arch,
      key: archKey(arch),
      accuracy,
      accuracySource,
      mflops,
      ...(latencyMs === undefined
        ? {}
        : { latencyMs, latencySource: measuredLatency === undefined ? 'predicted' : 'measured' }),
      cost: byLatency ? (latencyMs as number) : mflops,
    };
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
