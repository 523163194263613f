import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { itRequiring } from '@supernas/test-utils';
import { describe, expect, it } from 'vitest';
import { idxBytes } from '../test-utils/idx-bytes.js';
import { useTempDir } from '../test-utils/temp-dir.js';
import { loadFashionMnist } from './load-fashion-mnist.js';

const dir = useTempDir('fashion');
const cacheDir = join(dir, 'cache');

// Known values, checked against the official IDX files (train-images-idx3-ubyte etc.): the
// official first training image (an ankle boot) sits at index 50,440 of the package's train
// split, the official first test image (also an ankle boot) at index 8,907 of its test split.
const OFFICIAL_TRAIN_0 = { index: 50_440, label: 9, row: 6 };
const OFFICIAL_TRAIN_0_ROW_6 = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 155, 236, 207, 178, 107, 156, 161, 109, 64, 23, 77, 130,
  72, 15,
];
const OFFICIAL_TEST_0 = { index: 8907, label: 9, row: 11 };
const OFFICIAL_TEST_0_ROW_11 = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 11, 137, 130, 128, 160, 176, 159, 167, 178, 149, 151,
  144, 0, 0,
];

const row = (data: Uint8Array | undefined, index: number) =>
  Array.from(data?.subarray(index * 28, index * 28 + 28) ?? []);

describe('loadFashionMnist', () => {
  it('converts the npm package once into the official training images and caches both splits', async () => {
    const train = await loadFashionMnist({ split: 'train', cacheDir });
    expect(train.origin).toContain('converted and cached');
    expect(train.size).toBe(55_167);
    expect([train.height, train.width, train.channels, train.numClasses]).toEqual([28, 28, 1, 10]);
    expect(train.classNames?.[9]).toBe('Ankle boot');
    const { images, labels } = await train.read([OFFICIAL_TRAIN_0.index]);
    expect(labels[0]).toBe(OFFICIAL_TRAIN_0.label);
    expect(row(images[0]?.data, OFFICIAL_TRAIN_0.row)).toEqual(OFFICIAL_TRAIN_0_ROW_6);
    expect(existsSync(join(cacheDir, 'fashion-mnist-train.bin'))).toBe(true);
    expect(existsSync(join(cacheDir, 'fashion-mnist-test.bin'))).toBe(true);
  });

  it('reads the official test images from the cache on later runs', async () => {
    const test = await loadFashionMnist({ split: 'test', cacheDir });
    expect(test.origin).toContain('cached in');
    expect(test.origin).not.toContain('converted');
    expect(test.size).toBe(9176);
    const { images, labels } = await test.read([OFFICIAL_TEST_0.index]);
    expect(labels[0]).toBe(OFFICIAL_TEST_0.label);
    expect(row(images[0]?.data, OFFICIAL_TEST_0.row)).toEqual(OFFICIAL_TEST_0_ROW_11);
  });

  it('keeps every class in both splits, about 6,000 and 1,000 less the images left out', async () => {
    for (const [split, low, high] of [
      ['train', 5400, 6000],
      ['test', 900, 1000],
    ] as const) {
      const dataset = await loadFashionMnist({ split, cacheDir });
      const { labels } = await dataset.read(Array.from({ length: dataset.size }, (_, i) => i));
      const counts = new Array<number>(10).fill(0);
      for (const label of labels) counts[label] = (counts[label] as number) + 1;
      for (const count of counts) {
        expect(count).toBeGreaterThanOrEqual(low);
        expect(count).toBeLessThanOrEqual(high);
      }
    }
  });

  it('rebuilds a corrupt cache instead of using it', async () => {
    const path = join(cacheDir, 'fashion-mnist-test.bin');
    const bytes = readFileSync(path);
    bytes[200] = (bytes[200] as number) ^ 1;
    writeFileSync(path, bytes);
    const test = await loadFashionMnist({ split: 'test', cacheDir });
    expect(test.origin).toContain('cache checksum mismatch');
    expect(test.size).toBe(9176);
    const { images } = await test.read([OFFICIAL_TEST_0.index]);
    expect(row(images[0]?.data, OFFICIAL_TEST_0.row)).toEqual(OFFICIAL_TEST_0_ROW_11);
  });

  it('reads the original IDX files when given a folder', async () => {
    const idxDir = join(dir, 'idx');
    mkdirSync(idxDir);
    writeFileSync(
      join(idxDir, 'train-images-idx3-ubyte'),
      idxBytes([2, 28, 28], new Uint8Array(2 * 784).fill(9)),
    );
    writeFileSync(join(idxDir, 'train-labels-idx1-ubyte'), idxBytes([2], [4, 9]));
    const train = await loadFashionMnist({ split: 'train', dir: idxDir });
    expect(train.size).toBe(2);
    expect(train.origin).toContain('Fashion-MNIST IDX files');
    expect(Array.from((await train.read([1])).labels)).toEqual([9]);
  });

  // Debian's dataset-fashion-mnist package; present on some machines only (and required in CI).
  itRequiring(
    'fashion-mnist',
    existsSync('/usr/share/datasets/fashion-mnist')
      ? undefined
      : 'no /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist)',
    'reads all 60,000 official training images from /usr/share/datasets/fashion-mnist',
    async () => {
      const train = await loadFashionMnist({
        split: 'train',
        dir: '/usr/share/datasets/fashion-mnist',
      });
      expect(train.size).toBe(60_000);
      const { images, labels } = await train.read([0, 1, 2, 3, 4]);
      expect(Array.from(labels)).toEqual([9, 0, 0, 3, 0]);
      expect(row(images[0]?.data, 6)).toEqual(OFFICIAL_TRAIN_0_ROW_6);
    },
  );
});
