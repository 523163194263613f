import { describe, expect, it } from 'vitest';
import { makeDivisible, pythonRound } from './make-divisible.js';

describe('pythonRound', () => {
  it('rounds halves to the even neighbour like Python 3', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4, 2.6, 7].map(pythonRound)).toEqual([0, 2, 2, 4, 2, 3, 7]);
  });
});

describe('makeDivisible', () => {
  it('rounds to the nearest multiple of 8 as the reference', () => {
    expect([16, 20, 24, 96, 100, 144, 36, 12].map((v) => makeDivisible(v))).toEqual([
      16, 24, 24, 96, 104, 144, 40, 16,
    ]);
  });

  it('never goes more than 10% below the value and respects the minimum', () => {
    expect(makeDivisible(3)).toBe(9);
    expect(makeDivisible(2)).toBe(9);
    expect(makeDivisible(1)).toBe(1);
    expect(makeDivisible(11, 8)).toBe(16);
  });
});
