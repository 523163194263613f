import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DatasetFormatError, DatasetNotFoundError, InvalidDataOptionError } from './errors.js';
import { createInMemoryDataset } from './in-memory-dataset.js';
import {
  CIFAR_TRAIN_AUGMENTATION,
  NORMALIZATION,
  SMALL_IMAGE_EVAL_AUGMENTATION,
} from './presets.js';
import type { Dataset, DatasetSplit } from './types.js';

export const CIFAR10_CLASS_NAMES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

export interface LoadCifarOptions {
  readonly variant: 10 | 100;
  readonly split: DatasetSplit;
  /**
   * The extracted binary archive: `cifar-10-batches-bin` (data_batch_1..5.bin, test_batch.bin)
   * or `cifar-100-binary` (train.bin, test.bin), or the folder that contains it.
   */
  readonly dir?: string;
  /** Explicit record files instead of `dir`. */
  readonly files?: readonly string[];
  /** CIFAR-100 has 100 fine and 20 coarse labels; fine by default. */
  readonly labelKind?: 'fine' | 'coarse';
}

const SIDE = 32;
const IMAGE_BYTES = SIDE * SIDE * 3;

/**
 * CIFAR-10 / CIFAR-100 from the published binary version. A CIFAR-10 record is 1 label byte
 * and 3,072 pixel bytes (1,024 red, then green, then blue, rows top to bottom); a CIFAR-100
 * record has 2 label bytes (coarse, fine) first. Pixels are converted to HWC on load.
 */
export async function loadCifar(options: LoadCifarOptions): Promise<Dataset> {
  const { variant, split } = options;
  if (variant !== 10 && variant !== 100)
    throw new InvalidDataOptionError('variant', variant, '10 or 100');
  const labelKind = options.labelKind ?? 'fine';
  if (labelKind !== 'fine' && labelKind !== 'coarse') {
    throw new InvalidDataOptionError('labelKind', labelKind, "'fine' or 'coarse'");
  }
  const files = options.files ?? defaultFiles(variant, split, options.dir);
  if (files.length === 0)
    throw new InvalidDataOptionError('files', files, 'at least one CIFAR record file');
  const labelBytes = variant === 10 ? 1 : 2;
  const recordBytes = labelBytes + IMAGE_BYTES;
  const labelOffset = variant === 100 && labelKind === 'fine' ? 1 : 0;
  const numClasses = variant === 10 ? 10 : labelKind === 'fine' ? 100 : 20;

  const contents = await Promise.all(files.map((file) => readRecords(file, recordBytes)));
  const count = contents.reduce((total, bytes) => total + bytes.length / recordBytes, 0);
  const pixels = new Uint8Array(count * IMAGE_BYTES);
  const labels = new Uint8Array(count);
  let image = 0;
  contents.forEach((bytes, fileIndex) => {
    for (let record = 0; record * recordBytes < bytes.length; record++, image++) {
      const start = record * recordBytes;
      const label = bytes[start + labelOffset] as number;
      if (label >= numClasses) {
        throw new DatasetFormatError(
          files[fileIndex] as string,
          `record ${record} has label ${label}, expected below ${numClasses}`,
        );
      }
      labels[image] = label;
      const planes = start + labelBytes;
      const target = image * IMAGE_BYTES;
      for (let pixel = 0; pixel < SIDE * SIDE; pixel++) {
        pixels[target + pixel * 3] = bytes[planes + pixel] as number;
        pixels[target + pixel * 3 + 1] = bytes[planes + SIDE * SIDE + pixel] as number;
        pixels[target + pixel * 3 + 2] = bytes[planes + 2 * SIDE * SIDE + pixel] as number;
      }
    }
  });

  const classNames =
    variant === 10
      ? CIFAR10_CLASS_NAMES
      : await readLabelNames(files[0] as string, labelKind, numClasses);
  return createInMemoryDataset({
    name: variant === 10 ? 'cifar10' : 'cifar100',
    split,
    origin: `CIFAR-${variant} binary files ${files.join(', ')}`,
    pixels,
    labels,
    height: SIDE,
    width: SIDE,
    channels: 3,
    numClasses,
    ...(classNames === undefined ? {} : { classNames }),
    normalization: variant === 10 ? NORMALIZATION.cifar10 : NORMALIZATION.cifar100,
    trainAugmentation: CIFAR_TRAIN_AUGMENTATION,
    evalAugmentation: SMALL_IMAGE_EVAL_AUGMENTATION,
  });
}

function defaultFiles(variant: 10 | 100, split: DatasetSplit, dir: string | undefined): string[] {
  if (dir === undefined) throw new InvalidDataOptionError('dir', dir, 'a folder (or pass files)');
  if (!existsSync(dir)) throw new DatasetNotFoundError(dir, `CIFAR-${variant} folder`);
  const archiveFolder = join(dir, variant === 10 ? 'cifar-10-batches-bin' : 'cifar-100-binary');
  const root = existsSync(archiveFolder) ? archiveFolder : dir;
  const names =
    variant === 10
      ? split === 'train'
        ? [
            'data_batch_1.bin',
            'data_batch_2.bin',
            'data_batch_3.bin',
            'data_batch_4.bin',
            'data_batch_5.bin',
          ]
        : ['test_batch.bin']
      : [`${split}.bin`];
  return names.map((name) => join(root, name));
}

async function readRecords(file: string, recordBytes: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw new DatasetNotFoundError(file, 'CIFAR record file', cause);
  }
  if (bytes.length === 0 || bytes.length % recordBytes !== 0) {
    throw new DatasetFormatError(
      file,
      `size ${bytes.length} bytes is not a positive multiple of the ${recordBytes}-byte record`,
    );
  }
  return bytes;
}

// CIFAR-100's archive ships fine_label_names.txt / coarse_label_names.txt beside the records.
async function readLabelNames(
  file: string,
  labelKind: 'fine' | 'coarse',
  numClasses: number,
): Promise<readonly string[] | undefined> {
  const path = join(dirname(file), `${labelKind}_label_names.txt`);
  try {
    if (!(await stat(path)).isFile()) return undefined;
    const names = (await readFile(path, 'utf8'))
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    return names.length === numClasses ? names : undefined;
  } catch {
    return undefined;
  }
}
