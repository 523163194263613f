import { describe, expect, it } from 'vitest';
import { PredictorError } from '../predictor-error.js';
import { kendallTau } from './kendall-tau.js';
import { rmse } from './rmse.js';
import { averageRanks, spearmanRho } from './spearman-rho.js';
import { topKHitRate } from './top-k-hit-rate.js';

// Ties on both sides; values from scipy 1.10 (stats.kendalltau / stats.spearmanr).
const tiedA = [1, 2, 2, 3, 5, 4, 7, 7, 9, 0];
const tiedB = [2, 1, 2, 4, 4, 6, 5, 8, 8, 1];
// numpy RandomState(0): x = randn(50).round(1), y = (x + randn(50)).round(1).
const x = [
  1.8, 0.4, 1.0, 2.2, 1.9, -1.0, 1.0, -0.2, -0.1, 0.4, 0.1, 1.5, 0.8, 0.1, 0.4, 0.3, 1.5, -0.2, 0.3,
  -0.9, -2.6, 0.7, 0.9, -0.7, 2.3, -1.5, 0.0, -0.2, 1.5, 1.5, 0.2, 0.4, -0.9, -2.0, -0.3, 0.2, 1.2,
  1.2, -0.4, -0.3, -1.0, -1.4, -1.7, 2.0, -0.5, -0.4, -1.3, 0.8, -1.6, -0.2,
];
const y = [
  0.9, 0.8, 0.5, 1.0, 1.9, -0.6, 1.1, 0.1, -0.7, 0.0, -0.6, 1.1, -0.0, -1.6, 0.6, -0.1, -0.1, 0.3,
  -0.6, -0.8, -1.9, 0.8, 2.0, -1.9, 2.7, -2.2, -0.9, -0.8, 1.2, 1.6, -1.0, 1.3, -0.4, -3.5, 1.2,
  2.1, 2.4, 1.0, -1.5, 0.8, -1.4, -0.2, -1.5, 3.0, -0.1, 0.3, -1.3, 2.6, -1.5, 0.2,
];

describe('kendallTau', () => {
  it('counts concordant minus discordant pairs (hand-computed: 2 - 1 of 3 pairs)', () => {
    expect(kendallTau([1, 2, 3], [1, 3, 2])).toBeCloseTo(1 / 3, 15);
    expect(kendallTau([1, 2, 3], [3, 2, 1])).toBe(-1);
  });

  it('is tau-b with ties, as scipy', () => {
    expect(kendallTau(tiedA, tiedB)).toBeCloseTo(0.7859370885787426, 12);
    expect(kendallTau(x, y)).toBeCloseTo(0.5876029560779602, 12);
  });

  it('is NaN for a constant side and refuses unequal lengths', () => {
    expect(kendallTau([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(() => kendallTau([1, 2], [1, 2, 3])).toThrow(/3 numbers|2 numbers/);
    expect(() => kendallTau([1, Number.NaN], [1, 2])).toThrow(PredictorError);
  });
});

describe('spearmanRho', () => {
  it('gives 1 - 6 sum d^2 / (n (n^2 - 1)) without ties (hand-computed 0.5)', () => {
    expect(spearmanRho([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 15);
  });

  it('uses average ranks for ties, as scipy', () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    expect(spearmanRho(tiedA, tiedB)).toBeCloseTo(0.8981652601321484, 12);
    expect(spearmanRho(x, y)).toBeCloseTo(0.7743045348409924, 12);
  });
});

describe('rmse', () => {
  it('is the root of the mean squared error', () => {
    expect(rmse([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(rmse([0, 0], [3, 4])).toBeCloseTo(Math.sqrt(12.5), 15);
  });
});

describe('topKHitRate', () => {
  it('is the share of the true top-k in the predicted top-k', () => {
    const actual = [0.9, 0.1, 0.8, 0.7, 0.2];
    expect(topKHitRate(actual, actual, 3)).toBe(1);
    // predicted top-2: indices 1, 0; true top-2: 0, 2.
    expect(topKHitRate([0.5, 0.6, 0.1, 0.2, 0.3], actual, 2)).toBe(0.5);
    expect(topKHitRate([0.1, 0.9, 0.2, 0.3, 0.8], actual, 1)).toBe(0);
  });

  it('refuses k outside [1, n]', () => {
    expect(() => topKHitRate([1, 2], [1, 2], 3)).toThrow(/k must be an integer in \[1, 2\], got 3/);
  });
});
