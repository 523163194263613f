import { describe, expect, it } from 'vitest';
import { deriveRng } from './derive-rng.js';

const draws = (rng: { next(): number }, count = 8) =>
  Array.from({ length: count }, () => rng.next());

describe('deriveRng', () => {
  it('gives the same sequence for the same seed and position', () => {
    expect(draws(deriveRng([1, 2], 2, 5, 9))).toEqual(draws(deriveRng([1, 2], 2, 5, 9)));
  });

  it('gives different sequences for neighbouring epochs, batches, streams and seeds', () => {
    const base = draws(deriveRng([1, 2], 2, 5, 9));
    for (const other of [
      deriveRng([1, 2], 2, 6, 9),
      deriveRng([1, 2], 2, 5, 10),
      deriveRng([1, 2], 1, 5, 9),
      deriveRng([1, 3], 2, 5, 9),
    ]) {
      expect(draws(other)).not.toEqual(base);
    }
  });

  it('draws values spread over [0, 1)', () => {
    const values = draws(deriveRng([0, 0], 0, 0, 0), 2000);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});
