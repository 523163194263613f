import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetNotFoundError } from './errors.js';
import type { DatasetSplit } from './types.js';

/**
 * The images and labels files of one split in an MNIST-style folder, under the names the
 * original downloads use (`train-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, optionally `.gz`)
 * or the dotted variant some mirrors use (`train-images.idx3-ubyte`).
 */
export function findIdxFiles(dir: string, split: DatasetSplit): { images: string; labels: string } {
  const prefix = split === 'train' ? 'train' : 't10k';
  return {
    images: findFirst(dir, [`${prefix}-images-idx3-ubyte`, `${prefix}-images.idx3-ubyte`]),
    labels: findFirst(dir, [`${prefix}-labels-idx1-ubyte`, `${prefix}-labels.idx1-ubyte`]),
  };
}

function findFirst(dir: string, names: readonly string[]): string {
  const candidates = names.flatMap((name) => [join(dir, name), join(dir, `${name}.gz`)]);
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) {
    throw new DatasetNotFoundError(
      join(dir, names[0] as string),
      `IDX file (tried ${candidates.join(', ')})`,
    );
  }
  return found;
}
