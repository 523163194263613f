import { checkPairs } from './check-pairs.js';

/**
 * Kendall's tau-b (ties corrected, as `scipy.stats.kendalltau`):
 * `(C - D) / sqrt((n0 - tiesA) * (n0 - tiesB))` over all `n0 = n(n-1)/2` pairs. NaN when either
 * side is constant. O(n²): meant for the hundreds to few thousands of archs a predictor is
 * checked on.
 */
export function kendallTau(a: readonly number[], b: readonly number[]): number {
  checkPairs('kendallTau', a, b, 2);
  let concordant = 0;
  let discordant = 0;
  let tiesA = 0;
  let tiesB = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const signA = Math.sign((a[i] as number) - (a[j] as number));
      const signB = Math.sign((b[i] as number) - (b[j] as number));
      if (signA === 0) tiesA++;
      if (signB === 0) tiesB++;
      if (signA !== 0 && signB !== 0) {
        if (signA === signB) concordant++;
        else discordant++;
      }
    }
  }
  const pairs = (a.length * (a.length - 1)) / 2;
  const denominator = Math.sqrt((pairs - tiesA) * (pairs - tiesB));
  return denominator === 0 ? Number.NaN : (concordant - discordant) / denominator;
}
