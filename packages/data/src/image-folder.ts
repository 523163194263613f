import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { formatValue } from '@supernas/errors';
import sharp from 'sharp';
import {
  DatasetFormatError,
  DatasetNotFoundError,
  EmptyClassFolderError,
  ImageDecodeError,
  InvalidDataOptionError,
} from './errors.js';
import {
  IMAGENET_EVAL_AUGMENTATION,
  IMAGENET_TRAIN_AUGMENTATION,
  NORMALIZATION,
} from './presets.js';
import { readBatchWith } from './read-batch.js';
import type { Dataset, DatasetSplit, Normalization, RawExamples, RawImage } from './types.js';

export interface LoadImageFolderOptions {
  /** The root: one sub-folder per class (or `train/` and `val/` or `test/` roots, with `split`). */
  readonly dir: string;
  /** 'train' reads `dir/train`, 'test' reads `dir/val` (or `dir/test`); none reads `dir`. */
  readonly split?: DatasetSplit;
  /**
   * Shorter side, in pixels, that images are resized to as they are decoded (sharp shrinks JPEGs
   * while decoding, far cheaper than decoding full size). Unset: native size.
   */
  readonly size?: number;
  /** 3 (RGB, default) or 1 (greyscale); every image is converted. */
  readonly channels?: 1 | 3;
  /**
   * Fixes the class order; otherwise sorted folder names (for the test split, those of `train/`
   * when it exists, so labels agree between splits).
   */
  readonly classNames?: readonly string[];
  readonly normalization?: Normalization;
  readonly name?: string;
}

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png']);

/**
 * An ImageNet-layout folder. Only paths are held in memory; `read` decodes (and resizes) the
 * requested images with sharp, concurrently on libuv's thread pool, so a batch iterator that
 * reads ahead overlaps decoding with training.
 */
export async function loadImageFolder(options: LoadImageFolderOptions): Promise<Dataset> {
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3)
    throw new InvalidDataOptionError('channels', channels, '1 or 3');
  const size = options.size;
  if (size !== undefined && !(Number.isInteger(size) && size > 0)) {
    throw new InvalidDataOptionError('size', size, 'a positive integer');
  }
  const root = splitRoot(options.dir, options.split);
  // The test split takes its class order from train/, so a label means the same class in both.
  const trainRoot = join(options.dir, 'train');
  const classNames =
    options.classNames ??
    (options.split === 'test' && existsSync(trainRoot)
      ? await classFolders(trainRoot)
      : await classFolders(root));
  if (classNames.length === 0) throw new DatasetFormatError(root, 'has no class sub-folders');
  const paths: string[] = [];
  const labels: number[] = [];
  for (const [label, className] of classNames.entries()) {
    const classDir = join(root, className);
    if (!existsSync(classDir))
      throw new DatasetNotFoundError(classDir, `folder of class ${formatValue(className)}`);
    const images = await imageFiles(classDir);
    if (images.length === 0) throw new EmptyClassFolderError(classDir);
    for (const path of images) {
      paths.push(path);
      labels.push(label);
    }
  }

  const decode = async (path: string): Promise<RawImage> => {
    try {
      let pipeline = sharp(path);
      if (size !== undefined)
        pipeline = pipeline.resize({ width: size, height: size, fit: 'outside' });
      const { data, info } = await pipeline
        .removeAlpha()
        .toColourspace(channels === 1 ? 'b-w' : 'srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      if (info.channels !== channels)
        throw new Error(`decoded to ${info.channels} channels, expected ${channels}`);
      return {
        data: new Uint8Array(data.buffer, data.byteOffset, data.length),
        height: info.height,
        width: info.width,
        channels,
      };
    } catch (cause) {
      throw new ImageDecodeError(path, cause);
    }
  };

  const dataset: Dataset = {
    name: options.name ?? basename(options.dir),
    split: options.split,
    size: paths.length,
    numClasses: classNames.length,
    channels,
    height: undefined,
    width: undefined,
    classNames,
    normalization: options.normalization ?? imageFolderNormalization(channels),
    trainAugmentation: IMAGENET_TRAIN_AUGMENTATION,
    evalAugmentation: IMAGENET_EVAL_AUGMENTATION,
    origin: `image folder ${root} (${paths.length} images, ${classNames.length} classes)`,
    read: async (indices): Promise<RawExamples> => {
      const selected = Array.from(indices, (index) => {
        if (!(Number.isInteger(index) && index >= 0 && index < paths.length)) {
          throw new InvalidDataOptionError(
            `${dataset.name} index`,
            index,
            `an integer in [0, ${paths.length})`,
          );
        }
        return index;
      });
      const images = await Promise.all(selected.map((index) => decode(paths[index] as string)));
      return { images, labels: Int32Array.from(selected, (index) => labels[index] as number) };
    },
    readBatch: (indices, readOptions) => readBatchWith(dataset, indices, readOptions),
  };
  return dataset;
}

function splitRoot(dir: string, split: DatasetSplit | undefined): string {
  if (!existsSync(dir)) throw new DatasetNotFoundError(dir, 'image folder');
  if (split === undefined) return dir;
  const candidates = split === 'train' ? ['train'] : ['val', 'test'];
  const found = candidates.map((name) => join(dir, name)).find((path) => existsSync(path));
  if (found === undefined) {
    throw new DatasetNotFoundError(
      join(dir, candidates[0] as string),
      `${split} split folder (tried ${candidates.join(', ')})`,
    );
  }
  return found;
}

async function classFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
}

// Nested folders inside a class are walked too, like torchvision's ImageFolder.
async function imageFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  );
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await imageFiles(path)));
    else if (
      (entry.isFile() || entry.isSymbolicLink()) &&
      IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())
    ) {
      found.push(path);
    }
  }
  return found;
}

function imageFolderNormalization(channels: 1 | 3): Normalization {
  if (channels === 3) return NORMALIZATION.imagenet;
  // ImageNet's statistics through the luma weights sharp uses for greyscale (0.299, 0.587, 0.114).
  return { mean: [0.459], std: [0.226] };
}
