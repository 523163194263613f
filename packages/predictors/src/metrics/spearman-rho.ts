import { checkPairs } from './check-pairs.js';

/** 1-based ranks, ties sharing their average rank (scipy's `rankdata(method='average')`). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values
    .map((_, i) => i)
    .sort((i, j) => (values[i] as number) - (values[j] as number));
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + end + 1) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Spearman's rho: the Pearson correlation of the average ranks (as `scipy.stats.spearmanr`).
 * NaN when either side is constant.
 */
export function spearmanRho(a: readonly number[], b: readonly number[]): number {
  checkPairs('spearmanRho', a, b, 2);
  const ranksA = averageRanks(a);
  const ranksB = averageRanks(b);
  const mean = (a.length + 1) / 2;
  let covariance = 0;
  let varianceA = 0;
  let varianceB = 0;
  for (let i = 0; i < a.length; i++) {
    const da = (ranksA[i] as number) - mean;
    const db = (ranksB[i] as number) - mean;
    covariance += da * db;
    varianceA += da * da;
    varianceB += db * db;
  }
  const denominator = Math.sqrt(varianceA * varianceB);
  return denominator === 0 ? Number.NaN : covariance / denominator;
}
