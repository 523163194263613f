import { createRng } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { InvalidDataOptionError } from './errors.js';
import { transformExamples } from './transform-examples.js';
import type { Augmentation, RawExamples } from './types.js';

const identity = { mean: [0], std: [1 / 255] };

function examples(count: number, side: number): RawExamples {
  const images = Array.from({ length: count }, (_, index) => ({
    data: Uint8Array.from({ length: side * side }, (_, pixel) => (pixel * 7 + index * 13) % 256),
    height: side,
    width: side,
    channels: 1,
  }));
  return { images, labels: Int32Array.from({ length: count }, (_, index) => index % 3) };
}

const wholeImage: Augmentation = { kind: 'center-crop', cropFraction: 1, flip: false };
const randomCrop: Augmentation = {
  kind: 'random-resized-crop',
  scale: [0.35, 1],
  ratio: [3 / 4, 4 / 3],
  flip: true,
};

describe('transformExamples', () => {
  it('normalises per channel as (pixel / 255 - mean) / std', () => {
    const raw: RawExamples = {
      images: [{ data: Uint8Array.from([0, 255, 51, 102]), height: 1, width: 2, channels: 2 }],
      labels: Int32Array.from([4]),
    };
    const batch = transformExamples(raw, {
      resolution: 1,
      augmentation: { kind: 'pad-crop', padding: 0, flip: false },
      normalization: { mean: [0.5, 0.2], std: [0.25, 0.5] },
    });
    // Resizing 1x2 to 1x1 averages the two pixels: channel 0 = 25.5, channel 1 = 178.5.
    expect(batch.images[0]).toBeCloseTo((25.5 / 255 - 0.5) / 0.25, 5);
    expect(batch.images[1]).toBeCloseTo((178.5 / 255 - 0.2) / 0.5, 5);
    expect(batch.shape).toEqual([1, 1, 1, 2]);
    expect(Array.from(batch.labels)).toEqual([4]);
  });

  it('resizes every image to the requested resolution in NHWC order', () => {
    const batch = transformExamples(examples(3, 28), {
      resolution: 24,
      augmentation: wholeImage,
      normalization: identity,
    });
    expect(batch.shape).toEqual([3, 24, 24, 1]);
    expect(batch.images.length).toBe(3 * 24 * 24);
    expect(Array.from(batch.labels)).toEqual([0, 1, 2]);
  });

  it('gives identical batches for the same seed and different ones for another', () => {
    const run = (seed: number) =>
      transformExamples(examples(8, 28), {
        resolution: 32,
        augmentation: randomCrop,
        normalization: identity,
        rng: createRng(seed),
      }).images;
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it('asks for an rng when the augmentation is random', () => {
    expect(() =>
      transformExamples(examples(1, 4), {
        resolution: 4,
        augmentation: randomCrop,
        normalization: identity,
      }),
    ).toThrow(/rng must be an Rng for the random random-resized-crop/);
  });

  it('rejects a normalisation with the wrong number of channels', () => {
    expect(() =>
      transformExamples(examples(1, 4), {
        resolution: 4,
        augmentation: wholeImage,
        normalization: { mean: [0, 0, 0], std: [1, 1, 1] },
      }),
    ).toThrow(InvalidDataOptionError);
  });

  it('rejects a resolution that is not a positive integer', () => {
    expect(() =>
      transformExamples(examples(1, 4), {
        resolution: 0,
        augmentation: wholeImage,
        normalization: identity,
      }),
    ).toThrow('resolution must be a positive integer, got 0');
  });

  it('rejects a centre-crop fraction above 1', () => {
    expect(() =>
      transformExamples(examples(1, 4), {
        resolution: 4,
        augmentation: { kind: 'center-crop', cropFraction: 1.2, flip: false },
        normalization: identity,
      }),
    ).toThrow('center-crop cropFraction must be in (0, 1], got 1.2');
  });
});
