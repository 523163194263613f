import { describe, expect, it } from 'vitest';
import { InvalidDataOptionError } from './errors.js';
import { createInMemoryDataset, type InMemoryDatasetSpec } from './in-memory-dataset.js';
import { MNIST_TRAIN_AUGMENTATION, SMALL_IMAGE_EVAL_AUGMENTATION } from './presets.js';

const spec: InMemoryDatasetSpec = {
  name: 'pairs',
  split: 'test',
  origin: 'test',
  pixels: Uint8Array.from([0, 255, 255, 0, 51, 51, 51, 51]),
  labels: [1, 0],
  height: 2,
  width: 2,
  channels: 1,
  numClasses: 2,
  normalization: { mean: [0.2], std: [0.5] },
  trainAugmentation: MNIST_TRAIN_AUGMENTATION,
  evalAugmentation: SMALL_IMAGE_EVAL_AUGMENTATION,
};

describe('createInMemoryDataset', () => {
  it('returns views of the stored pixels with their labels', async () => {
    const dataset = createInMemoryDataset(spec);
    const { images, labels } = await dataset.read([1, 0]);
    expect(Array.from(images[0]?.data ?? [])).toEqual([51, 51, 51, 51]);
    expect(images[0]?.data.buffer).toBe(spec.pixels.buffer);
    expect(Array.from(labels)).toEqual([0, 1]);
  });

  it('reads normalised batches at the native size by default', async () => {
    const batch = await createInMemoryDataset(spec).readBatch([1]);
    expect(batch.shape).toEqual([1, 2, 2, 1]);
    for (const value of batch.images) expect(value).toBeCloseTo((0.2 - 0.2) / 0.5, 6);
  });

  it('rejects an index outside the dataset', async () => {
    const dataset = createInMemoryDataset(spec);
    await expect(dataset.read([2])).rejects.toThrow(InvalidDataOptionError);
    await expect(dataset.read([2])).rejects.toThrow(
      'pairs index must be an integer in [0, 2), got 2',
    );
  });

  it('rejects pixels that do not match the labels and geometry', () => {
    expect(() => createInMemoryDataset({ ...spec, labels: [1, 0, 1] })).toThrow(
      'pixels.length must be 3 images x 2 x 2 x 1 = 12, got 8',
    );
  });
});
