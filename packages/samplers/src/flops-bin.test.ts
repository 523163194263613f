import { describe, expect, it } from 'vitest';
import { flopsBin } from './flops-bin.js';

describe('flopsBin', () => {
  const edges = [100, 200, 300, 400];

  it('puts a value in the half-open bin that starts at or below it', () => {
    expect(flopsBin(edges, 100)).toBe(0);
    expect(flopsBin(edges, 199.999)).toBe(0);
    expect(flopsBin(edges, 200)).toBe(1);
    expect(flopsBin(edges, 350)).toBe(2);
  });

  it('closes the last bin and rejects values outside the edges', () => {
    expect(flopsBin(edges, 400)).toBe(2);
    expect(flopsBin(edges, 400.001)).toBe(-1);
    expect(flopsBin(edges, 99.999)).toBe(-1);
    expect(flopsBin(edges, Number.NaN)).toBe(-1);
  });

  it('handles uneven edges', () => {
    const uneven = [0, 1, 10, 1000];
    expect([0.5, 5, 999, 1000].map((value) => flopsBin(uneven, value))).toEqual([0, 1, 2, 2]);
  });
});
