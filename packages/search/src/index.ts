export {
  type ArchCost,
  type Bounds,
  type CostModel,
  type CostName,
  checkBudget,
  costNames,
  costOf,
  repairArch,
  type SearchConstraints,
} from './constraints.js';
export {
  createEvolutionarySearch,
  type EvolutionarySearch,
  evolutionarySearch,
} from './evolutionary-search.js';
export { nonDominatedSort, type Objective, paretoFront } from './pareto.js';
export { SearchError } from './search-error.js';
export type {
  EvaluatedArch,
  EvolutionarySearchOptions,
  FitnessFunction,
  FitnessPredictor,
  SearchProgress,
  SearchResult,
  SearchSettings,
  SearchState,
} from './types.js';
