import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AxisGeometry, filterGradientPadding, inputGradientWindow } from './axis-geometry.js';

/** tfjs' 'same' geometry: out = ceil(in / stride), the odd padding pixel after. */
function same(inSize: number, filterSize: number, stride: number): AxisGeometry {
  const outSize = Math.ceil(inSize / stride);
  const total = Math.max((outSize - 1) * stride + filterSize - inSize, 0);
  return { inSize, outSize, filterSize, stride, padBefore: Math.floor(total / 2) };
}

describe('filterGradientPadding', () => {
  it('pads a stride-1 same convolution by the forward padding', () => {
    expect(filterGradientPadding(same(8, 3, 1))).toEqual([1, 1]);
    expect(filterGradientPadding(same(8, 5, 1))).toEqual([2, 2]);
  });

  it('pads only what the last strided tap needs', () => {
    // 8 inputs, 3x3 stride 2 same: 4 outputs, pad 0 before, 1 after.
    expect(filterGradientPadding(same(8, 3, 2))).toEqual([0, 1]);
  });

  it('never pads negatively when the forward pass skipped the last inputs', () => {
    // 8 inputs, 3x3 stride 2 valid: 3 outputs read inputs 0..6 only.
    expect(
      filterGradientPadding({ inSize: 8, outSize: 3, filterSize: 3, stride: 2, padBefore: 0 }),
    ).toEqual([0, 0]);
  });

  it('makes the correlation produce at least filterSize outputs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 4 }),
        (inSize, filterSize, stride) => {
          const axis = same(inSize, filterSize, stride);
          const [before, after] = filterGradientPadding(axis);
          const dilatedGradient = (axis.outSize - 1) * stride + 1;
          expect(inSize + before + after - dilatedGradient + 1).toBeGreaterThanOrEqual(filterSize);
        },
      ),
      { seed: 7 },
    );
  });
});

describe('inputGradientWindow', () => {
  it('pads a stride-1 same convolution by the flipped forward padding', () => {
    expect(inputGradientWindow(same(8, 3, 1))).toEqual({
      cropBefore: 0,
      cropAfter: 0,
      padBefore: 1,
      padAfter: 1,
    });
  });

  it('accounts for the zeros trailing a dilated gradient', () => {
    // 8 inputs, 3x3 stride 2 same: dy dilated to 8 entries, of which the last is zero.
    expect(inputGradientWindow(same(8, 3, 2))).toEqual({
      cropBefore: 0,
      cropAfter: 0,
      padBefore: 2,
      padAfter: 0,
    });
  });

  it('crops dy entries that only ever met padding instead of padding negatively', () => {
    // Explicit pad 4 before a 3-tap filter: the first two dy entries saw only padding.
    expect(
      inputGradientWindow({ inSize: 5, outSize: 7, filterSize: 3, stride: 1, padBefore: 4 }),
    ).toEqual({ cropBefore: 2, cropAfter: 0, padBefore: 0, padAfter: 2 });
  });

  it('crops the dilation zero past the last input', () => {
    // 5 inputs, 1x1 stride 2: dy dilated to 6 entries, the sixth beyond the input.
    expect(
      inputGradientWindow({ inSize: 5, outSize: 3, filterSize: 1, stride: 2, padBefore: 0 }),
    ).toEqual({ cropBefore: 0, cropAfter: 1, padBefore: 0, padAfter: 0 });
  });

  it('makes the correlation produce exactly inSize outputs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        (inSize, filterSize, stride, padBefore, padAfter) => {
          const padded = inSize + padBefore + padAfter;
          fc.pre(padded >= filterSize);
          const outSize = Math.floor((padded - filterSize) / stride) + 1;
          const window = inputGradientWindow({ inSize, outSize, filterSize, stride, padBefore });
          const length =
            outSize * stride -
            window.cropBefore -
            window.cropAfter +
            window.padBefore +
            window.padAfter;
          expect(length - filterSize + 1).toBe(inSize);
          expect(Math.min(...Object.values(window))).toBeGreaterThanOrEqual(0);
        },
      ),
      { seed: 8 },
    );
  });
});
