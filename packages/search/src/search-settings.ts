import { type Bounds, checkConstraints, costNames, type SearchConstraints } from './constraints.js';
import { expectedMessage, SearchError } from './search-error.js';
import type { EvolutionarySearchOptions, FitnessFunction, SearchSettings } from './types.js';

/** The same bounds in a fixed key order, so saved and current settings compare as JSON. */
function canonicalConstraints(constraints: SearchConstraints): SearchConstraints {
  checkConstraints(constraints, true);
  const canonical: Record<string, Bounds> = {};
  for (const name of costNames) {
    const bounds = constraints[name];
    if (!bounds) continue;
    canonical[name] = {
      ...(bounds.min !== undefined ? { min: bounds.min } : {}),
      ...(bounds.max !== undefined ? { max: bounds.max } : {}),
    };
  }
  return canonical;
}

export function settingsOf(
  options: EvolutionarySearchOptions,
): SearchSettings & { generations: number; maxAttempts: number } {
  const populationSize = options.populationSize ?? 64;
  const settings = {
    populationSize,
    mutationCount: options.mutationCount ?? populationSize,
    crossoverCount: options.crossoverCount ?? populationSize,
    mutationProbability: options.mutationProbability ?? 0.2,
    crossoverProbability: options.crossoverProbability ?? 0.5,
    constraints: canonicalConstraints(options.constraints),
    numClasses: options.numClasses,
    inputChannels: options.inputChannels ?? 3,
    latency: options.latency !== undefined,
    seed: options.seed ?? 0,
    generations: options.generations ?? 20,
    maxAttempts: options.maxAttempts ?? 100,
  };
  const checks: [string, number, boolean][] = [
    ['populationSize', settings.populationSize, true],
    ['mutationCount', settings.mutationCount, false],
    ['crossoverCount', settings.crossoverCount, false],
    ['generations', settings.generations, false],
    ['maxAttempts', settings.maxAttempts, true],
    ['numClasses', settings.numClasses, true],
  ];
  for (const [name, value, positive] of checks) {
    if (!(Number.isInteger(value) && value >= (positive ? 1 : 0))) {
      throw new SearchError(
        `search: ${expectedMessage(name, positive ? 'a positive integer' : 'an integer >= 0', value)}`,
        { code: 'invalid_search_options', value },
      );
    }
  }
  for (const name of ['mutationProbability', 'crossoverProbability'] as const) {
    const value = settings[name];
    if (!(value >= 0 && value <= 1)) {
      throw new SearchError(`search: ${expectedMessage(name, 'a number in [0, 1]', value)}`, {
        code: 'invalid_search_options',
        value,
      });
    }
  }
  if (!Number.isFinite(settings.seed)) {
    throw new SearchError(`search: ${expectedMessage('seed', 'a finite number', settings.seed)}`, {
      code: 'invalid_search_options',
      value: settings.seed,
    });
  }
  checkConstraints(settings.constraints, settings.latency);
  return settings;
}

export function fitnessFunction(options: EvolutionarySearchOptions): FitnessFunction {
  const { fitness, space } = options;
  if (typeof fitness === 'function') return fitness;
  if (fitness && typeof fitness === 'object' && typeof fitness.predict === 'function') {
    if (fitness.spaceName !== space.name) {
      throw new SearchError(
        `search: the predictor was made for space '${fitness.spaceName}' and cannot score archs of space '${space.name}'`,
        { code: 'predictor_space_mismatch', value: fitness.spaceName },
      );
    }
    return (archs) => fitness.predict(archs);
  }
  throw new SearchError(
    `search: ${expectedMessage('fitness', 'a function of archs or a predictor', fitness)}`,
    { code: 'invalid_search_options', value: fitness },
  );
}
