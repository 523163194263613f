import { describe, expect, it } from 'vitest';
import { resizeBilinear, sampleBilinear } from './sample-bilinear.js';
import type { RawImage } from './types.js';

const grey = (height: number, width: number, values: number[]): RawImage => ({
  data: Uint8Array.from(values),
  height,
  width,
  channels: 1,
});

describe('resizeBilinear', () => {
  it('upsamples 2x2 to 4x4 with half-pixel centres and clamped edges', () => {
    // Output centres fall at source -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    const out = resizeBilinear(grey(2, 2, [0, 100, 100, 200]), 4, 4);
    expect(Array.from(out)).toEqual([
      0, 25, 75, 100, 25, 50, 100, 125, 75, 100, 150, 175, 100, 125, 175, 200,
    ]);
  });

  it('downsamples 4x4 to 2x2 by averaging each 2x2 block', () => {
    const image = grey(4, 4, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150]);
    expect(Array.from(resizeBilinear(image, 2, 2))).toEqual([25, 45, 105, 125]);
  });

  it('returns the same pixels at the same size', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];
    const rgb: RawImage = { data: Uint8Array.from(values), height: 2, width: 2, channels: 3 };
    expect(Array.from(resizeBilinear(rgb, 2, 2))).toEqual(values);
  });
});

describe('sampleBilinear', () => {
  const image = grey(2, 3, [1, 2, 3, 4, 5, 6]);

  it('mirrors the output left-right when asked to flip', () => {
    const out = new Float32Array(6);
    sampleBilinear(
      image,
      { top: 0, left: 0, height: 2, width: 3 },
      { outputHeight: 2, outputWidth: 3, flip: true },
      out,
    );
    expect(Array.from(out)).toEqual([3, 2, 1, 6, 5, 4]);
  });

  it('reads zeros outside the image when padded, as pad-crop needs', () => {
    const out = new Float32Array(6);
    sampleBilinear(
      image,
      { top: -1, left: 1, height: 2, width: 3 },
      { outputHeight: 2, outputWidth: 3, padding: 1 },
      out,
    );
    expect(Array.from(out)).toEqual([0, 0, 0, 2, 3, 0]);
  });

  it('applies the per-channel scale and bias and writes at the offset', () => {
    const out = new Float32Array(8).fill(-1);
    sampleBilinear(
      grey(1, 2, [10, 20]),
      { top: 0, left: 0, height: 1, width: 2 },
      { outputHeight: 1, outputWidth: 2, scale: [0.5], bias: [1] },
      out,
      3,
    );
    expect(Array.from(out)).toEqual([-1, -1, -1, 6, 11, -1, -1, -1]);
  });

  it('crops a sub-box exactly when the box is integer and the size unchanged', () => {
    const big = grey(3, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const out = new Float32Array(4);
    sampleBilinear(
      big,
      { top: 1, left: 1, height: 2, width: 2 },
      { outputHeight: 2, outputWidth: 2 },
      out,
    );
    expect(Array.from(out)).toEqual([5, 6, 8, 9]);
  });
});
