/** A point to trade off: lower cost is better, higher accuracy is better. */
export interface TradeOff {
  readonly cost: number;
  readonly accuracy: number;
}

/**
 * The points no other point beats on both cost and accuracy, by increasing cost. Of points with
 * equal cost and accuracy the first is kept.
 */
export function paretoFront<T extends TradeOff>(points: readonly T[]): T[] {
  const sorted = [...points].sort((a, b) => a.cost - b.cost || b.accuracy - a.accuracy);
  const front: T[] = [];
  let best = Number.NEGATIVE_INFINITY;
  for (const point of sorted) {
    if (point.accuracy > best) {
      front.push(point);
      best = point.accuracy;
    }
  }
  return front;
}

/** The most accurate point with cost <= budget (the cheaper one on a tie), or undefined. */
export function bestWithinBudget<T extends TradeOff>(
  points: readonly T[],
  budget: number,
): T | undefined {
  let chosen: T | undefined;
  for (const point of points) {
    if (point.cost > budget) continue;
    if (
      chosen === undefined ||
      point.accuracy > chosen.accuracy ||
      (point.accuracy === chosen.accuracy && point.cost < chosen.cost)
    )
      chosen = point;
  }
  return chosen;
}
