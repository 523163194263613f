import { describe, expect, it } from 'vitest';
import { makeDivisible, roundHalfToEven } from './make-divisible.js';

describe('makeDivisible', () => {
  it('rounds to the nearest multiple of the divisor', () => {
    expect([16, 20, 24, 96, 99, 100, 144, 36, 12].map((value) => makeDivisible(value))).toEqual([
      16, 24, 24, 96, 96, 104, 144, 40, 16,
    ]);
  });

  it('goes up a step rather than down by more than 10%', () => {
    expect(makeDivisible(9)).toBe(16);
    expect(makeDivisible(19)).toBe(24);
    expect(makeDivisible(27)).toBe(32);
  });

  it('uses the reference minimum of 1, and honours another', () => {
    expect(makeDivisible(1)).toBe(1);
    expect(makeDivisible(2)).toBe(9);
    expect(makeDivisible(3)).toBe(9);
    expect(makeDivisible(2, 8, 8)).toBe(8);
    expect(makeDivisible(30, 16)).toBe(32);
  });
});

describe('roundHalfToEven', () => {
  it('rounds halves to the even neighbour like Python 3', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4, 2.6, 7].map(roundHalfToEven)).toEqual([0, 2, 2, 4, 2, 3, 7]);
  });
});
