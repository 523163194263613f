import { createRng } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { seededRng, seededValues } from './random.js';

describe('seededValues', () => {
  it('repeats for a seed and changes with it', () => {
    const first = seededValues(64, 3);
    expect(seededValues(64, 3)).toEqual(first);
    expect(seededValues(64, 4)).not.toEqual(first);
  });

  it('draws from createRng, scaled into [low, high)', () => {
    const rng = createRng(11);
    const expected = Array.from({ length: 5 }, () => Math.fround(2 + rng.next() * 3));
    expect(Array.from(seededValues(5, 11, 2, 5))).toEqual(expected);
    const values = seededValues(1000, 1, -0.5, 0.5);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-0.5);
    expect(Math.max(...values)).toBeLessThan(0.5);
  });

  it('takes a shape and fills the product of its dimensions', () => {
    expect(seededValues([2, 3, 4], 1)).toEqual(seededValues(24, 1));
    expect(seededValues([0, 5], 1)).toHaveLength(0);
  });

  it('rejects a bad count or range', () => {
    expect(() => seededValues(-1, 1)).toThrow(
      'seededValues: count must be a non-negative integer, got -1',
    );
    expect(() => seededValues(3, 1, 1, 0)).toThrow(
      'seededValues: high (0) must not be below low (1)',
    );
  });
});

describe('seededRng', () => {
  it('is the search space generator for that seed', () => {
    expect(seededRng(9).state()).toEqual(createRng(9).state());
  });
});
