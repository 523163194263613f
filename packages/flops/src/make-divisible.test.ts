import { describe, expect, it } from 'vitest';
import {
  convOutputSize,
  makeDivisible,
  midChannels,
  roundHalfToEven,
  seChannels,
} from './make-divisible.js';

describe('makeDivisible', () => {
  it('rounds to the nearest multiple of the divisor', () => {
    expect(makeDivisible(96)).toBe(96);
    expect(makeDivisible(100)).toBe(104);
    expect(makeDivisible(99)).toBe(96);
  });

  it('goes up a step rather than down by more than 10%', () => {
    expect(makeDivisible(9)).toBe(16);
    expect(makeDivisible(19)).toBe(24);
    expect(makeDivisible(27)).toBe(32);
  });

  it('uses the reference minimum of 1, and honours another', () => {
    expect(makeDivisible(2)).toBe(9);
    expect(makeDivisible(2, 8, 8)).toBe(8);
    expect(makeDivisible(30, 16)).toBe(32);
  });
});

describe('roundHalfToEven', () => {
  it('rounds halves to the even neighbour like Python', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4, 2.6].map(roundHalfToEven)).toEqual([0, 2, 2, 4, 2, 3]);
  });
});

describe('midChannels', () => {
  it('expands and rounds to a multiple of 8', () => {
    expect(midChannels(16, 4)).toBe(64);
    expect(midChannels(24, 5)).toBe(120);
    expect(midChannels(20, 2.5)).toBe(48);
  });

  it('keeps the input width when the expand ratio is 1', () => {
    expect(midChannels(12, 1)).toBe(12);
  });
});

describe('seChannels', () => {
  it('is a quarter of the width, made divisible by 8', () => {
    expect(seChannels(96)).toBe(24);
    expect(seChannels(1344)).toBe(336);
    expect(seChannels(72)).toBe(24);
  });
});

describe('convOutputSize', () => {
  it('is ceil(size / stride) for odd kernels with same padding', () => {
    expect(convOutputSize(224, 3, 2)).toBe(112);
    expect(convOutputSize(7, 5, 2)).toBe(4);
    expect(convOutputSize(7, 3, 1)).toBe(7);
    expect(convOutputSize(28, 3, 1)).toBe(28);
  });
});
