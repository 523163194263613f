import { createRng } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import {
  type BatchIteratorOptions,
  createBatchIterator,
  type EpochBatch,
} from './batch-iterator.js';
import { InvalidDataOptionError } from './errors.js';
import { createInMemoryDataset } from './in-memory-dataset.js';
import { FASHION_MNIST_TRAIN_AUGMENTATION, SMALL_IMAGE_EVAL_AUGMENTATION } from './presets.js';
import type { Dataset } from './types.js';

/** `size` 6x6 grey images; image i is filled with i, so a batch shows which images it holds. */
function tinyDataset(size: number): Dataset {
  const pixels = new Uint8Array(size * 36);
  for (let i = 0; i < size; i++) pixels.fill(i, i * 36, (i + 1) * 36);
  return createInMemoryDataset({
    name: 'tiny',
    split: 'train',
    origin: 'test',
    pixels,
    labels: Array.from({ length: size }, (_, i) => i % 4),
    height: 6,
    width: 6,
    channels: 1,
    numClasses: 4,
    normalization: { mean: [0], std: [1 / 255] },
    trainAugmentation: FASHION_MNIST_TRAIN_AUGMENTATION,
    evalAugmentation: SMALL_IMAGE_EVAL_AUGMENTATION,
  });
}

async function take(
  options: BatchIteratorOptions,
  count: number,
  dataset = tinyDataset(10),
): Promise<EpochBatch[]> {
  const iterator = createBatchIterator(dataset, options);
  const batches: EpochBatch[] = [];
  for (let i = 0; i < count; i++) batches.push((await iterator.next(8)) as EpochBatch);
  iterator.close();
  return batches;
}

describe('createBatchIterator', () => {
  it('visits every example once per epoch in a shuffled order, dropping the partial batch', async () => {
    const batches = await take({ batchSize: 3, rng: createRng(1) }, 6);
    expect(batches.map((batch) => [batch.epoch, batch.batchIndex])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    const epochZero = batches.slice(0, 3).flatMap((batch) => Array.from(batch.indices));
    expect(new Set(epochZero).size).toBe(9);
    expect(epochZero).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const epochOne = batches.slice(3).flatMap((batch) => Array.from(batch.indices));
    expect(epochOne).not.toEqual(epochZero);
  });

  it('gives identical batches, pixels included, for the same seed', async () => {
    const first = await take({ batchSize: 4, rng: createRng(5) }, 5);
    const second = await take({ batchSize: 4, rng: createRng(5) }, 5);
    expect(second.map((batch) => Array.from(batch.indices))).toEqual(
      first.map((batch) => Array.from(batch.indices)),
    );
    expect(second.map((batch) => Array.from(batch.images))).toEqual(
      first.map((batch) => Array.from(batch.images)),
    );
    const other = await take({ batchSize: 4, rng: createRng(6) }, 5);
    expect(other.map((batch) => Array.from(batch.images))).not.toEqual(
      first.map((batch) => Array.from(batch.images)),
    );
  });

  it('resumes from a state snapshot with exactly the batches an uninterrupted run sees', async () => {
    const dataset = tinyDataset(10);
    const uninterrupted = await take({ batchSize: 3, rng: createRng(9), prefetch: 3 }, 8, dataset);
    const interrupted = createBatchIterator(dataset, {
      batchSize: 3,
      rng: createRng(9),
      prefetch: 3,
    });
    for (let i = 0; i < 4; i++) await interrupted.next(8);
    const state = JSON.parse(JSON.stringify(interrupted.state()));
    interrupted.close();
    expect(state).toMatchObject({ epoch: 1, batchIndex: 1, datasetSize: 10, batchSize: 3 });
    const resumed = createBatchIterator(dataset, { batchSize: 3, state });
    const rest: EpochBatch[] = [];
    for (let i = 0; i < 4; i++) rest.push((await resumed.next(8)) as EpochBatch);
    expect(rest.map((batch) => Array.from(batch.images))).toEqual(
      uninterrupted.slice(4).map((batch) => Array.from(batch.images)),
    );
    expect(rest.map((batch) => Array.from(batch.labels))).toEqual(
      uninterrupted.slice(4).map((batch) => Array.from(batch.labels)),
    );
  });

  it('resizes each batch to the resolution asked for in next()', async () => {
    const iterator = createBatchIterator(tinyDataset(10), { batchSize: 2, rng: createRng(2) });
    expect((await iterator.next(4))?.shape).toEqual([2, 4, 4, 1]);
    expect((await iterator.next(12))?.shape).toEqual([2, 12, 12, 1]);
    expect((await iterator.next())?.shape).toEqual([2, 6, 6, 1]);
  });

  it('runs one ordered, unaugmented epoch in eval mode, keeping the last partial batch', async () => {
    const iterator = createBatchIterator(tinyDataset(5), { batchSize: 2, mode: 'eval' });
    const batches: EpochBatch[] = [];
    for await (const batch of iterator) batches.push(batch);
    expect(batches.map((batch) => Array.from(batch.indices))).toEqual([[0, 1], [2, 3], [4]]);
    // Image 4 is uniformly 4: resized and normalised to [0, 1] * 255 it stays 4 everywhere.
    expect(Array.from(batches[2]?.images ?? []).every((value) => Math.abs(value - 4) < 1e-4)).toBe(
      true,
    );
    expect(await iterator.next()).toBeNull();
  });

  it('reads ahead the number of batches asked for', async () => {
    const base = tinyDataset(20);
    const reads: number[][] = [];
    const counting: Dataset = {
      ...base,
      read: (indices) => {
        reads.push(Array.from(indices));
        return base.read(indices);
      },
    };
    const iterator = createBatchIterator(counting, { batchSize: 2, mode: 'eval', prefetch: 3 });
    await iterator.next();
    expect(reads.length).toBe(4);
    await iterator.next();
    expect(reads.length).toBe(5);
    iterator.close();
    expect(await iterator.next()).toBeNull();
  });

  it('passes on a failed read when that batch is reached', async () => {
    const base = tinyDataset(6);
    const failing: Dataset = {
      ...base,
      read: (indices) =>
        Array.from(indices).includes(4)
          ? Promise.reject(new Error('disk gone'))
          : base.read(indices),
    };
    const iterator = createBatchIterator(failing, { batchSize: 2, mode: 'eval', prefetch: 2 });
    await iterator.next();
    await iterator.next();
    await expect(iterator.next()).rejects.toThrow('disk gone');
  });

  it('needs an rng to shuffle', () => {
    expect(() => createBatchIterator(tinyDataset(4), { batchSize: 2 })).toThrow(
      InvalidDataOptionError,
    );
  });

  it('rejects a batch larger than the dataset when the partial batch is dropped', () => {
    expect(() => createBatchIterator(tinyDataset(4), { batchSize: 5, rng: createRng(1) })).toThrow(
      /batchSize must be at most the dataset size \(4\)/,
    );
  });

  it('rejects a state taken with another batch size', () => {
    const state = createBatchIterator(tinyDataset(8), { batchSize: 2, rng: createRng(1) }).state();
    expect(() => createBatchIterator(tinyDataset(8), { batchSize: 4, state })).toThrow(
      'state.batchSize must be the batchSize option 4, got 2',
    );
  });
});
