import {
  type ArchConfig,
  archGenes,
  archKey,
  createRng,
  crossoverArch,
  mutateArch,
  type Rng,
  rngFromState,
  sampleArch,
} from '@supernas/search-space';
import { type ArchCost, checkBudget, repairArch } from './constraints.js';
import { paretoFront } from './pareto.js';
import { expectedMessage, SearchError } from './search-error.js';
import { fitnessFunction, settingsOf } from './search-settings.js';
import type {
  EvaluatedArch,
  EvolutionarySearchOptions,
  SearchResult,
  SearchState,
} from './types.js';

/** A drawn arch within the budget, with its costs and `archKey`, not yet evaluated. */
interface Candidate {
  readonly arch: ArchConfig;
  readonly cost: ArchCost;
  readonly key: string;
}

function isEvaluatedArch(entry: EvaluatedArch | undefined): boolean {
  try {
    return (
      entry !== undefined && archKey(entry.arch) === entry.key && Number.isFinite(entry.fitness)
    );
  } catch {
    return false;
  }
}

export interface EvolutionarySearch {
  /** Generations done: -1 before the initial population, 0 after it. */
  readonly generation: number;
  readonly generations: number;
  /** Evaluates the initial population, or runs one generation. */
  step(): Promise<void>;
  /** Steps until `generations` are done; returns the result. */
  run(): Promise<SearchResult>;
  result(): SearchResult;
  state(): SearchState;
  /** Continues from a `state()` of a search with the same settings (generations may differ). */
  resume(state: SearchState): void;
}

/**
 * Evolutionary search as in AttentiveNAS / once-for-all: an initial population drawn uniformly,
 * then each generation `mutationCount` children by mutation (each gene re-drawn with
 * `mutationProbability`) of random parents and `crossoverCount` by uniform crossover of two
 * random parents; the `populationSize` fittest distinct archs of parents and children survive.
 *
 * Every candidate meets the constraints: one outside them is first moved in gene by gene
 * (`repairArch`), else re-drawn, up to `maxAttempts` draws, then a `constraint_unsatisfied`
 * error. A budget no arch can meet fails at once (`budget_infeasible`), naming the smallest
 * arch's cost. Fitness is queried in one batch per generation and cached per `archKey`. All
 * randomness comes from one seeded generator whose state `state()` saves.
 */
export function createEvolutionarySearch(options: EvolutionarySearchOptions): EvolutionarySearch {
  const { space } = options;
  const settings = settingsOf(options);
  const fitness = fitnessFunction(options);
  const costModel = {
    numClasses: settings.numClasses,
    inputChannels: settings.inputChannels,
    latency: options.latency,
  };
  checkBudget(space, settings.constraints, costModel);
  const repairSteps = 4 * archGenes(space).length;
  let rng: Rng = createRng(settings.seed);
  let generation = -1;
  let population: EvaluatedArch[] = [];
  const cache = new Map<string, EvaluatedArch>();

  const draw = (kind: string, make: () => ArchConfig): Candidate => {
    for (let attempt = 0; attempt < settings.maxAttempts; attempt++) {
      const repaired = repairArch(space, make(), settings.constraints, costModel, rng, repairSteps);
      if (repaired) return { ...repaired, key: archKey(repaired.arch) };
    }
    throw new SearchError(
      `search: no ${kind} candidate met the constraints ${JSON.stringify(settings.constraints)} in ${settings.maxAttempts} draws; widen the bounds or raise maxAttempts`,
      { code: 'constraint_unsatisfied', value: settings.constraints },
    );
  };

  const evaluate = async (candidates: readonly Candidate[]): Promise<EvaluatedArch[]> => {
    const fresh = new Map<string, Candidate>();
    for (const candidate of candidates) {
      const { key } = candidate;
      if (!cache.has(key) && !fresh.has(key)) fresh.set(key, candidate);
    }
    if (fresh.size > 0) {
      const batch = [...fresh.values()];
      const scores = await fitness(batch.map((candidate) => candidate.arch));
      if (
        !Array.isArray(scores) ||
        scores.length !== batch.length ||
        scores.some((score) => typeof score !== 'number' || !Number.isFinite(score))
      ) {
        throw new SearchError(
          `search: ${expectedMessage('the fitness result', `${batch.length} finite numbers, one per arch`, scores)}`,
          { code: 'invalid_fitness', value: scores },
        );
      }
      [...fresh.keys()].forEach((key, i) => {
        const { arch, cost } = batch[i]!;
        cache.set(key, { key, arch, ...cost, fitness: scores[i] as number });
      });
    }
    return candidates.map((candidate) => cache.get(candidate.key)!);
  };

  const survivors = (candidates: readonly EvaluatedArch[]): EvaluatedArch[] => {
    const unique = [...new Map(candidates.map((entry) => [entry.key, entry])).values()];
    // Stable: among equal fitness, earlier (parents, then older children) wins.
    return unique.sort((a, b) => b.fitness - a.fitness).slice(0, settings.populationSize);
  };

  const best = (): EvaluatedArch => {
    let chosen: EvaluatedArch | undefined;
    for (const entry of cache.values())
      if (!chosen || entry.fitness > chosen.fitness) chosen = entry;
    if (!chosen) {
      throw new SearchError('search: nothing evaluated yet; call step() or run() first', {
        code: 'search_not_started',
      });
    }
    return chosen;
  };

  const report = () => {
    options.onGeneration?.({
      generation,
      generations: settings.generations,
      evaluated: cache.size,
      best: best(),
    });
  };

  const search: EvolutionarySearch = {
    get generation() {
      return generation;
    },
    generations: settings.generations,

    async step() {
      if (generation < 0) {
        const initial = Array.from({ length: settings.populationSize }, () =>
          draw('initial', () => sampleArch(space, rng)),
        );
        population = survivors(await evaluate(initial));
        generation = 0;
        report();
        return;
      }
      const parents = population;
      const children: Candidate[] = [];
      for (let i = 0; i < settings.mutationCount; i++) {
        children.push(
          draw('mutation', () =>
            mutateArch(space, rng.choice(parents).arch, rng, {
              probability: settings.mutationProbability,
            }),
          ),
        );
      }
      for (let i = 0; i < settings.crossoverCount; i++) {
        children.push(
          draw('crossover', () => {
            const first = rng.choice(parents);
            const others =
              parents.length > 1 ? parents.filter((parent) => parent !== first) : parents;
            return crossoverArch(space, first.arch, rng.choice(others).arch, rng, {
              probability: settings.crossoverProbability,
            });
          }),
        );
      }
      population = survivors([...parents, ...(await evaluate(children))]);
      generation++;
      report();
    },

    async run() {
      while (generation < settings.generations) await search.step();
      return search.result();
    },

    result() {
      const evaluated = [...cache.values()];
      const front = (cost: (entry: EvaluatedArch) => number) =>
        paretoFront(evaluated, (entry) => entry.fitness, cost).map((i) => evaluated[i]!);
      return {
        best: best(),
        population: [...population],
        paretoFronts: {
          mflops: front((entry) => entry.mflops),
          params: front((entry) => entry.params),
          ...(settings.latency ? { latency: front((entry) => entry.latency as number) } : {}),
        },
        generation,
        evaluated: cache.size,
      };
    },

    state() {
      const { generations: _generations, maxAttempts: _maxAttempts, ...saved } = settings;
      return {
        format: 'supernas-search-state',
        formatVersion: 1,
        space: space.name,
        settings: saved,
        generation,
        population: population.map((entry) => entry.key),
        rng: rng.state(),
        evaluated: [...cache.values()],
      };
    },

    resume(state) {
      restore(state);
    },
  };

  const restore = (state: SearchState): void => {
    const fail = (message: string, value: unknown): never => {
      throw new SearchError(`search: cannot resume: ${message}`, {
        code: 'invalid_search_state',
        value,
      });
    };
    if (state?.format !== 'supernas-search-state' || state.formatVersion !== 1)
      fail(`expected a supernas-search-state of format version 1`, state?.format);
    if (state.space !== space.name)
      fail(`the state is of space '${state.space}', this search's is '${space.name}'`, state.space);
    const { generations: _generations, maxAttempts: _maxAttempts, ...current } = settings;
    if (JSON.stringify(state.settings) !== JSON.stringify(current))
      fail(
        `its settings ${JSON.stringify(state.settings)} differ from this search's ${JSON.stringify(current)}`,
        state.settings,
      );
    if (!(Number.isInteger(state.generation) && state.generation >= 0))
      fail('generation must be an integer >= 0', state.generation);
    const words = state.rng;
    if (
      !Array.isArray(words) ||
      words.length !== 4 ||
      !words.every((word) => Number.isInteger(word) && word >= 0 && word < 2 ** 32)
    )
      fail('rng must be 4 uint32 words', words);
    if (!Array.isArray(state.evaluated) || !Array.isArray(state.population))
      fail('evaluated and population must be arrays', state.evaluated);
    // Build everything first: a state that fails a check leaves this search as it was.
    const restored = new Map<string, EvaluatedArch>();
    for (const entry of state.evaluated) {
      if (!isEvaluatedArch(entry))
        fail('every evaluated entry needs its arch, its archKey and a finite fitness', entry);
      restored.set(entry.key, entry);
    }
    const missing = state.population.find((key) => !restored.has(key));
    if (missing !== undefined)
      fail(`population member ${missing} is not among the evaluated archs`, missing);
    cache.clear();
    for (const [key, entry] of restored) cache.set(key, entry);
    population = state.population.map((key) => restored.get(key)!);
    rng = rngFromState(words);
    generation = state.generation;
  };

  return search;
}

/** Runs a whole search; see `createEvolutionarySearch`. */
export async function evolutionarySearch(
  options: EvolutionarySearchOptions,
): Promise<SearchResult> {
  return createEvolutionarySearch(options).run();
}
