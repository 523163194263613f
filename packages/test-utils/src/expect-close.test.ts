import { describe, expect, it } from 'vitest';
import { closeMismatch, expectClose } from './expect-close.js';

describe('expectClose', () => {
  it('accepts values within atol + rtol * |expected|', () => {
    expect(() => expectClose([1.0001, -2.0002], [1, -2], { rtol: 1e-4, atol: 0 })).not.toThrow();
    expect(() => expectClose([0.5e-6], [0], { rtol: 0, atol: 1e-6 })).not.toThrow();
    expect(() => expectClose(3, 3, { rtol: 0, atol: 0 })).not.toThrow();
  });

  it('names the worst index, both values and the allowance when values differ', () => {
    expect(() => expectClose([1, 2.5, 3.01], [1, 2, 3], { rtol: 0, atol: 0.1 }, 'grad x')).toThrow(
      'expectClose (grad x): 1 of 3 values differ beyond atol 0.1 + rtol 0 * |expected|; worst at index 1: actual 2.5, expected 2 (|difference| 0.5, allowed 0.1)',
    );
  });

  it('applies the relative tolerance to the expected value only', () => {
    expect(closeMismatch([110], [100], { rtol: 0.1, atol: 0 })).toBeUndefined();
    expect(closeMismatch([100], [110], { rtol: 0.05, atol: 0 })).toMatch(/worst at index 0/);
  });

  it('matches NaN with NaN and an infinity with the same infinity only', () => {
    const tolerance = { rtol: 0, atol: 1 };
    expect(
      closeMismatch([Number.NaN, Number.POSITIVE_INFINITY], [Number.NaN, Infinity], tolerance),
    ).toBeUndefined();
    expect(closeMismatch([Number.NaN], [0], tolerance)).toMatch(/actual NaN, expected 0/);
    expect(closeMismatch([0], [Number.NaN], tolerance)).toMatch(/actual 0, expected NaN/);
    expect(closeMismatch([Number.NEGATIVE_INFINITY], [Infinity], tolerance)).toMatch(
      /actual -Infinity, expected Infinity/,
    );
  });

  it('reports a length mismatch', () => {
    expect(closeMismatch(new Float32Array(3), [0, 0], { rtol: 0, atol: 0 })).toBe(
      'length 3 differs from the expected 2',
    );
  });

  it('rejects tolerances that are negative or not numbers', () => {
    expect(() => expectClose([1], [1], { rtol: -1, atol: 0 })).toThrow(
      'expectClose: rtol must be a finite number >= 0, got -1',
    );
    expect(() => expectClose([1], [1], { rtol: 0, atol: Number.NaN })).toThrow(
      'expectClose: atol must be a finite number >= 0, got NaN',
    );
  });
});
