import { createRng } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { centerCropBox, padCropBox, randomResizedCropBox, validateCropRanges } from './crop-box.js';
import { InvalidDataOptionError } from './errors.js';

describe('randomResizedCropBox', () => {
  it('draws integer boxes inside the image with area and aspect ratio in range', () => {
    const rng = createRng(7);
    for (let i = 0; i < 500; i++) {
      const box = randomResizedCropBox(28, 28, [0.35, 1], [3 / 4, 4 / 3], rng);
      expect(Number.isInteger(box.top) && Number.isInteger(box.left)).toBe(true);
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.top + box.height).toBeLessThanOrEqual(28);
      expect(box.left + box.width).toBeLessThanOrEqual(28);
      // Rounding the sides moves the area a little past the drawn fraction.
      expect((box.height * box.width) / 784).toBeGreaterThan(0.3);
      expect(box.width / box.height).toBeGreaterThan(0.6);
      expect(box.width / box.height).toBeLessThan(1.6);
    }
  });

  it('gives the same boxes for the same seed and different ones for another', () => {
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 20 }, () =>
        randomResizedCropBox(224, 300, [0.08, 1], [3 / 4, 4 / 3], rng),
      );
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });

  it('falls back to the largest centred box of an allowed ratio when no draw fits', () => {
    // A full-area crop with aspect ratio at least 2 never fits a square image.
    const box = randomResizedCropBox(40, 40, [1, 1], [2, 3], createRng(1));
    expect(box).toEqual({ top: 10, left: 0, height: 20, width: 40 });
  });
});

describe('padCropBox', () => {
  it('shifts an original-size box by at most the padding', () => {
    const rng = createRng(2);
    const tops = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const box = padCropBox(32, 32, 4, rng);
      expect(box.height).toBe(32);
      expect(box.width).toBe(32);
      expect(Math.abs(box.left)).toBeLessThanOrEqual(4);
      tops.add(box.top);
    }
    expect([...tops].sort((a, b) => a - b)).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4]);
  });
});

describe('centerCropBox', () => {
  it('matches Resize(256) then CenterCrop(224) on a 256x320 image', () => {
    expect(centerCropBox(256, 320, 224, 0.875)).toEqual({
      top: 16,
      left: 48,
      height: 224,
      width: 224,
    });
  });

  it('maps the resized crop back to source pixels on a 512x640 image', () => {
    // Resized to 256x320, crop at (16, 48): twice that in the source.
    expect(centerCropBox(512, 640, 224, 0.875)).toEqual({
      top: 32,
      left: 96,
      height: 448,
      width: 448,
    });
  });

  it('keeps a square image whole when cropFraction is 1', () => {
    expect(centerCropBox(28, 28, 32, 1)).toEqual({ top: 0, left: 0, height: 28, width: 28 });
  });
});

describe('validateCropRanges', () => {
  it('rejects a scale range outside (0, 1] with the offending value', () => {
    expect(() => validateCropRanges([0.5, 1.5], [0.75, 1.33])).toThrow(InvalidDataOptionError);
    expect(() => validateCropRanges([0.5, 1.5], [0.75, 1.33])).toThrow('[0.5,1.5]');
  });

  it('rejects an inverted ratio range', () => {
    expect(() => validateCropRanges([0.08, 1], [2, 1])).toThrow(/ratio must be/);
  });
});
