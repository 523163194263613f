import { expectedMessage, PredictorError } from '../predictor-error.js';
import { checkPairs } from './check-pairs.js';

function topIndices(values: readonly number[], k: number): Set<number> {
  // Highest first; equal values keep their order (the earlier index wins).
  const order = values
    .map((_, i) => i)
    .sort((i, j) => (values[j] as number) - (values[i] as number) || i - j);
  return new Set(order.slice(0, k));
}

/**
 * The share of the truly best `k` archs (highest `actual`) that are also among the `k` the
 * predictor ranks best (highest `predicted`): 1 means the predictor's top-k is the true top-k.
 * Ties are broken by position.
 */
export function topKHitRate(
  predicted: readonly number[],
  actual: readonly number[],
  k: number,
): number {
  checkPairs('topKHitRate', predicted, actual, 1);
  if (!(Number.isInteger(k) && k >= 1 && k <= predicted.length)) {
    throw new PredictorError(
      `topKHitRate: ${expectedMessage('k', `an integer in [1, ${predicted.length}]`, k)}`,
      { code: 'invalid_metric_input', value: k },
    );
  }
  const best = topIndices(actual, k);
  let hits = 0;
  for (const index of topIndices(predicted, k)) if (best.has(index)) hits++;
  return hits / k;
}
