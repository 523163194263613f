import type { ArchConfig } from '@supernas/search-space';
import type { ArchCost, CostModel, SearchConstraints } from './constraints.js';

/** Scores archs, higher is better (e.g. predicted or measured top-1). May be async. */
export type FitnessFunction = (
  archs: readonly ArchConfig[],
) => readonly number[] | Promise<readonly number[]>;

/** A predictor (e.g. from `@supernas/predictors`): its space is checked against the search's. */
export interface FitnessPredictor {
  readonly spaceName: string;
  predict(archs: readonly ArchConfig[]): readonly number[] | Promise<readonly number[]>;
}

export interface EvaluatedArch extends ArchCost {
  /** `archKey(arch)`. */
  readonly key: string;
  readonly arch: ArchConfig;
  readonly fitness: number;
}

export interface SearchProgress {
  /** Generations done (0: the initial population is evaluated). */
  readonly generation: number;
  readonly generations: number;
  /** Distinct archs evaluated so far (= fitness queries: results are cached per arch). */
  readonly evaluated: number;
  readonly best: EvaluatedArch;
}

export interface EvolutionarySearchOptions extends CostModel {
  readonly space: import('@supernas/search-space').SearchSpace;
  readonly fitness: FitnessFunction | FitnessPredictor;
  readonly constraints: SearchConstraints;
  /** Parents kept per generation; default 64. */
  readonly populationSize?: number;
  /** Children made by mutation per generation; default `populationSize`. */
  readonly mutationCount?: number;
  /** Children made by crossover per generation; default `populationSize`. */
  readonly crossoverCount?: number;
  /** Generations after the initial population; default 20. */
  readonly generations?: number;
  /** Per-gene mutation chance; the reference default 0.2. */
  readonly mutationProbability?: number;
  /** Per-gene chance of taking the first parent's gene; the reference default 0.5. */
  readonly crossoverProbability?: number;
  /** Draws per candidate before giving up with an error; default 100. */
  readonly maxAttempts?: number;
  readonly seed?: number;
  /** Called after the initial population and after every generation. */
  readonly onGeneration?: (progress: SearchProgress) => void;
}

export interface SearchResult {
  /** The fittest arch evaluated; every evaluated arch meets the constraints. */
  readonly best: EvaluatedArch;
  /** The parents after the last generation, fittest first. */
  readonly population: readonly EvaluatedArch[];
  /**
   * For each cost, the archs no other evaluated arch beats on both fitness and that cost
   * (non-dominated), cheapest first.
   */
  readonly paretoFronts: {
    readonly mflops: readonly EvaluatedArch[];
    readonly params: readonly EvaluatedArch[];
    readonly latency?: readonly EvaluatedArch[];
  };
  readonly generation: number;
  readonly evaluated: number;
}

/** Everything needed to continue a search exactly where it stopped. JSON-serialisable. */
export interface SearchState {
  readonly format: 'supernas-search-state';
  readonly formatVersion: 1;
  readonly space: string;
  readonly settings: SearchSettings;
  readonly generation: number;
  /** Keys of the current parents, fittest first. */
  readonly population: readonly string[];
  readonly rng: readonly number[];
  /** Every evaluated arch, in evaluation order. */
  readonly evaluated: readonly EvaluatedArch[];
}

/** The options a resumed search must share with the one that saved the state. */
export interface SearchSettings {
  readonly populationSize: number;
  readonly mutationCount: number;
  readonly crossoverCount: number;
  readonly mutationProbability: number;
  readonly crossoverProbability: number;
  readonly constraints: SearchConstraints;
  readonly numClasses: number;
  readonly inputChannels: number;
  readonly latency: boolean;
  readonly seed: number;
}
