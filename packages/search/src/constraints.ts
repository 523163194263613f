import { countFlops } from '@supernas/flops';
import {
  type ArchConfig,
  archFromGeneValues,
  archGenes,
  geneValue,
  maxArch,
  minArch,
  type Rng,
  type SearchSpace,
} from '@supernas/search-space';
import { expectedMessage, SearchError } from './search-error.js';

/** Inclusive bounds; either side may be left open. */
export interface Bounds {
  readonly min?: number;
  readonly max?: number;
}

/**
 * What a found arch must meet: MFLOPs (multiply-adds / 1e6, by `countFlops`), parameters (a
 * count, not millions) and, when the search has a latency function, latency in its units.
 */
export interface SearchConstraints {
  readonly mflops?: Bounds;
  readonly params?: Bounds;
  readonly latency?: Bounds;
}

export interface ArchCost {
  readonly mflops: number;
  readonly params: number;
  /** Present when the search was given a latency function. */
  readonly latency?: number;
}

export type CostName = keyof SearchConstraints;
export const costNames: readonly CostName[] = ['mflops', 'params', 'latency'];

export interface CostModel {
  readonly numClasses: number;
  readonly inputChannels?: number;
  readonly latency?: (arch: ArchConfig) => number;
}

export function costOf(space: SearchSpace, arch: ArchConfig, model: CostModel): ArchCost {
  const { flops, params } = countFlops(space, arch, {
    numClasses: model.numClasses,
    inputChannels: model.inputChannels,
  });
  if (!model.latency) return { mflops: flops / 1e6, params };
  const latency = model.latency(arch);
  if (typeof latency !== 'number' || !Number.isFinite(latency)) {
    throw new SearchError(
      `search: ${expectedMessage('the latency function result', 'a finite number', latency)}`,
      {
        code: 'invalid_latency',
        value: latency,
      },
    );
  }
  return { mflops: flops / 1e6, params, latency };
}

/** Checks the bounds' shape: numbers, min <= max, latency only with a latency function. */
export function checkConstraints(constraints: SearchConstraints, hasLatency: boolean): void {
  if (typeof constraints !== 'object' || constraints === null) {
    throw new SearchError(`search: ${expectedMessage('constraints', 'an object', constraints)}`, {
      code: 'invalid_search_options',
      value: constraints,
    });
  }
  for (const name of costNames) {
    const bounds = constraints[name];
    if (bounds === undefined) continue;
    for (const side of ['min', 'max'] as const) {
      const value = bounds[side];
      if (
        value !== undefined &&
        !(typeof value === 'number' && Number.isFinite(value) && value >= 0)
      )
        throw new SearchError(
          `search: ${expectedMessage(`constraints.${name}.${side}`, 'a finite number >= 0', value)}`,
          { code: 'invalid_search_options', value },
        );
    }
    if (bounds.min !== undefined && bounds.max !== undefined && bounds.min > bounds.max) {
      throw new SearchError(
        `search: constraints.${name}: min ${bounds.min} is above max ${bounds.max}`,
        { code: 'invalid_search_options', value: bounds },
      );
    }
    if (name === 'latency' && !hasLatency) {
      throw new SearchError(
        'search: constraints.latency needs a latency function (option latency)',
        {
          code: 'invalid_search_options',
          value: bounds,
        },
      );
    }
  }
}

/** -1 when some cost is above its max, +1 when some is below its min, 0 when all fit. */
export function violation(cost: ArchCost, constraints: SearchConstraints): -1 | 0 | 1 {
  for (const name of costNames) {
    const value = cost[name];
    const max = constraints[name]?.max;
    if (value !== undefined && max !== undefined && value > max) return -1;
  }
  for (const name of costNames) {
    const value = cost[name];
    const min = constraints[name]?.min;
    if (value !== undefined && min !== undefined && value < min) return 1;
  }
  return 0;
}

const units: Record<CostName, string> = { mflops: 'MFLOPs', params: 'params', latency: 'latency' };

function describeCost(name: CostName, value: number): string {
  const shown =
    name === 'mflops' ? value.toFixed(2) : name === 'params' ? String(value) : value.toPrecision(4);
  return `${shown} ${units[name]}`;
}

/**
 * Throws `budget_infeasible` when no arch can meet a bound: FLOPs and params grow with every
 * gene, so the smallest arch has the smallest possible cost and the largest the largest. The
 * message names that cost. (Latency is checked against the same two archs, as an estimate.)
 */
export function checkBudget(
  space: SearchSpace,
  constraints: SearchConstraints,
  model: CostModel,
): void {
  const smallest = costOf(space, minArch(space), model);
  const largest = costOf(space, maxArch(space), model);
  for (const name of costNames) {
    const bounds = constraints[name];
    const low = smallest[name];
    const high = largest[name];
    if (!bounds || low === undefined || high === undefined) continue;
    if (bounds.max !== undefined && bounds.max < low) {
      throw new SearchError(
        `no arch of space '${space.name}' meets max ${units[name]} ${bounds.max}: the smallest arch has ${describeCost(name, low)}`,
        { code: 'budget_infeasible', value: bounds },
      );
    }
    if (bounds.min !== undefined && bounds.min > high) {
      throw new SearchError(
        `no arch of space '${space.name}' meets min ${units[name]} ${bounds.min}: the largest arch has ${describeCost(name, high)}`,
        { code: 'budget_infeasible', value: bounds },
      );
    }
  }
}

/**
 * Moves an arch into the budget one gene at a time: while a cost is above its max, a random
 * gene not at its smallest choice steps down one choice; while one is below its min, a random
 * gene steps up. Returns null when that does not reach the budget within `maxSteps`.
 */
export function repairArch(
  space: SearchSpace,
  arch: ArchConfig,
  constraints: SearchConstraints,
  model: CostModel,
  rng: Rng,
  maxSteps: number,
): { arch: ArchConfig; cost: ArchCost } | null {
  let current = arch;
  let cost = costOf(space, current, model);
  let direction = violation(cost, constraints);
  if (direction === 0) return { arch: current, cost };
  const choices = sortedChoices(space);
  const positions = archGenes(space).map((gene, g) => choices[g]!.indexOf(geneValue(arch, gene)));
  for (let step = 0; step < maxSteps; step++) {
    const movable = positions
      .map((_, g) => g)
      .filter((g) => {
        const target = positions[g]! + direction;
        return target >= 0 && target < choices[g]!.length;
      });
    if (movable.length === 0) return null;
    const gene = rng.choice(movable);
    positions[gene]! += direction;
    current = archFromGeneValues(
      space,
      positions.map((position, g) => choices[g]![position] as number),
    );
    cost = costOf(space, current, model);
    direction = violation(cost, constraints);
    if (direction === 0) return { arch: current, cost };
  }
  return null;
}

const sortedCache = new WeakMap<SearchSpace, readonly (readonly number[])[]>();

/** Each gene's choices ascending (a step down is a smaller value), cached per space. */
function sortedChoices(space: SearchSpace): readonly (readonly number[])[] {
  let sorted = sortedCache.get(space);
  if (!sorted) {
    sorted = archGenes(space).map((gene) => [...gene.choices].sort((a, b) => a - b));
    sortedCache.set(space, sorted);
  }
  return sorted;
}
