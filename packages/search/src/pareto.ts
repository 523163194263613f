import { expectedMessage, SearchError } from './search-error.js';

/** One objective of a multi-objective comparison: a number per point and which way is better. */
export interface Objective<T> {
  readonly value: (point: T) => number;
  readonly goal: 'max' | 'min';
}

function dominates<T>(a: T, b: T, objectives: readonly Objective<T>[]): boolean {
  let strictlyBetter = false;
  for (const { value, goal } of objectives) {
    const difference = goal === 'max' ? value(a) - value(b) : value(b) - value(a);
    if (difference < 0) return false;
    if (difference > 0) strictlyBetter = true;
  }
  return strictlyBetter;
}

/**
 * Non-dominated sorting (Deb et al., NSGA-II): `fronts[0]` holds the indices of the points no
 * other point dominates (at least as good in every objective, better in one), `fronts[1]` those
 * dominated only by points of `fronts[0]`, and so on. Equal points share a front. O(M N²).
 */
export function nonDominatedSort<T>(
  points: readonly T[],
  objectives: readonly Objective<T>[],
): number[][] {
  if (objectives.length === 0) {
    throw new SearchError(
      `nonDominatedSort: ${expectedMessage('objectives', 'at least one', objectives)}`,
      {
        code: 'invalid_search_options',
      },
    );
  }
  const dominatedBy = points.map(() => 0);
  const dominating: number[][] = points.map(() => []);
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      if (dominates(points[i] as T, points[j] as T, objectives)) {
        dominating[i]!.push(j);
        dominatedBy[j]!++;
      } else if (dominates(points[j] as T, points[i] as T, objectives)) {
        dominating[j]!.push(i);
        dominatedBy[i]!++;
      }
    }
  }
  const fronts: number[][] = [];
  let current = points.map((_, i) => i).filter((i) => dominatedBy[i] === 0);
  while (current.length > 0) {
    fronts.push(current);
    const next: number[] = [];
    for (const i of current) {
      for (const j of dominating[i]!) if (--dominatedBy[j]! === 0) next.push(j);
    }
    current = next.sort((a, b) => a - b);
  }
  return fronts;
}

/**
 * The first front for two objectives, "more `gain` for less `cost`", in O(N log N): the indices
 * of the points no other point beats, ordered by ascending cost (then by index).
 */
export function paretoFront<T>(
  points: readonly T[],
  gain: (point: T) => number,
  cost: (point: T) => number,
): number[] {
  const order = points
    .map((_, i) => i)
    .sort(
      (i, j) =>
        cost(points[i] as T) - cost(points[j] as T) ||
        gain(points[j] as T) - gain(points[i] as T) ||
        i - j,
    );
  const front: number[] = [];
  let bestAtLowerCost = Number.NEGATIVE_INFINITY;
  for (let start = 0; start < order.length; ) {
    const groupCost = cost(points[order[start]!] as T);
    let end = start;
    while (end < order.length && cost(points[order[end]!] as T) === groupCost) end++;
    // Sorted by gain within an equal cost: the group's best come first.
    const groupBest = gain(points[order[start]!] as T);
    for (let k = start; k < end; k++) {
      const value = gain(points[order[k]!] as T);
      if (value === groupBest && value > bestAtLowerCost) front.push(order[k]!);
    }
    bestAtLowerCost = Math.max(bestAtLowerCost, groupBest);
    start = end;
  }
  return front;
}
