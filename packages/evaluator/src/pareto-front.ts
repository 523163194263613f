import { paretoFront as paretoFrontIndices } from '@supernas/search';

/** A point to trade off: lower cost is better, higher accuracy is better. */
export interface TradeOff {
  readonly cost: number;
  readonly accuracy: number;
}

/**
 * The points no other point beats on both cost and accuracy, by increasing cost (`@supernas/search`'s
 * front, the one `supernas search` writes). Of points with equal cost and accuracy the first is kept.
 */
export function paretoFront<T extends TradeOff>(points: readonly T[]): T[] {
  const front = paretoFrontIndices(
    points,
    (point) => point.accuracy,
    (point) => point.cost,
  ).map((index) => points[index]!);
  return front.filter(
    (point, index) =>
      index === 0 ||
      point.cost !== front[index - 1]!.cost ||
      point.accuracy !== front[index - 1]!.accuracy,
  );
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
