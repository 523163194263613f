import { describe, expect, it } from 'vitest';
import { latencyStats, quantile } from './latency-stats.js';

describe('latencyStats', () => {
  it('gives the median, quartiles and range of unsorted timings', () => {
    const stats = latencyStats([5, 1, 4, 2, 3]);
    expect(stats).toEqual({
      medianMs: 3,
      minMs: 1,
      maxMs: 5,
      p25Ms: 2,
      p75Ms: 4,
      meanMs: 3,
      runs: 5,
    });
  });

  it('interpolates quantiles between order statistics as numpy does', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
  });
});
