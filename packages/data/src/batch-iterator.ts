import type { Rng } from '@supernas/search-space';
import { deriveRng } from './derive-rng.js';
import { InvalidDataOptionError } from './errors.js';
import {
  isRandom,
  transformExamples,
  validateAugmentation,
  validateResolution,
} from './transform-examples.js';
import type { Augmentation, Batch, Dataset, Normalization, RawExamples } from './types.js';

export interface BatchIteratorOptions {
  readonly batchSize: number;
  /** Picks the defaults below: 'train' shuffles, augments, drops the last partial batch and repeats. */
  readonly mode?: 'train' | 'eval';
  /** Seeds shuffling and augmentation (two words are drawn once); not used when `state` is given. */
  readonly rng?: Rng;
  readonly shuffle?: boolean;
  readonly dropLast?: boolean;
  /** Epochs to run before `next` returns null: Infinity in train mode, 1 in eval mode. */
  readonly epochs?: number;
  /** Defaults to the dataset's train or eval augmentation. */
  readonly augmentation?: Augmentation;
  readonly normalization?: Normalization;
  /** Resolution for `next()` calls that give none; defaults to the dataset's native height. */
  readonly resolution?: number;
  /** Batches decoded ahead of the one being delivered (default 2). */
  readonly prefetch?: number;
  /** Resume exactly where `iterator.state()` was taken. */
  readonly state?: BatchIteratorState;
}

/** Everything needed to resume: the batches that follow depend on nothing else. */
export interface BatchIteratorState {
  readonly version: 1;
  readonly seed: readonly [number, number];
  readonly epoch: number;
  /** The next batch to deliver within `epoch`. */
  readonly batchIndex: number;
  readonly datasetSize: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
}

export interface EpochBatch extends Batch {
  readonly epoch: number;
  readonly batchIndex: number;
  /** Dataset indices of the examples, in batch order. */
  readonly indices: Int32Array;
}

export interface BatchIterator extends AsyncIterable<EpochBatch> {
  readonly batchesPerEpoch: number;
  /** The next batch at `resolution` (the trainer's current arch resolution), or null when done. */
  next(resolution?: number): Promise<EpochBatch | null>;
  state(): BatchIteratorState;
  /** Stops reading ahead; later `next` calls return null. */
  close(): void;
}

interface PendingBatch {
  readonly epoch: number;
  readonly batchIndex: number;
  readonly indices: Int32Array;
  readonly examples: Promise<RawExamples>;
}

/**
 * Batches over a dataset. Epoch `e` is a permutation drawn from a generator derived from
 * (seed, e); batch `b`'s crops and flips from one derived from (seed, e, b). Decoding runs
 * `prefetch` batches ahead; the resize to the requested resolution happens in `next`, since the
 * trainer only knows it then.
 */
export function createBatchIterator(
  dataset: Dataset,
  options: BatchIteratorOptions,
): BatchIterator {
  const train = (options.mode ?? 'train') === 'train';
  const batchSize = options.batchSize;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new InvalidDataOptionError('batchSize', batchSize, 'a positive integer');
  }
  const shuffle = options.state?.shuffle ?? options.shuffle ?? train;
  const dropLast = options.state?.dropLast ?? options.dropLast ?? train;
  const epochs = options.epochs ?? (train ? Number.POSITIVE_INFINITY : 1);
  if (!(epochs === Number.POSITIVE_INFINITY || (Number.isInteger(epochs) && epochs > 0))) {
    throw new InvalidDataOptionError('epochs', epochs, 'a positive integer or Infinity');
  }
  const augmentation =
    options.augmentation ?? (train ? dataset.trainAugmentation : dataset.evalAugmentation);
  validateAugmentation(augmentation);
  const normalization = options.normalization ?? dataset.normalization;
  const prefetch = options.prefetch ?? 2;
  if (!(Number.isInteger(prefetch) && prefetch >= 0)) {
    throw new InvalidDataOptionError('prefetch', prefetch, 'an integer >= 0');
  }
  if (options.resolution !== undefined) validateResolution(options.resolution);
  const size = dataset.size;
  const batchesPerEpoch = dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
  if (batchesPerEpoch === 0) {
    throw new InvalidDataOptionError(
      'batchSize',
      batchSize,
      `at most the dataset size (${size}) when dropLast is set, or there is no batch`,
    );
  }

  const seed = resolveSeed(options, shuffle || isRandom(augmentation));
  let epoch = options.state?.epoch ?? 0;
  let batchIndex = options.state?.batchIndex ?? 0;
  if (options.state !== undefined) checkState(options.state, size, batchSize, batchesPerEpoch);
  let scheduledEpoch = epoch;
  let scheduledBatch = batchIndex;
  let closed = false;
  const pending: PendingBatch[] = [];
  const permutations = new Map<number, Int32Array>();

  const permutation = (which: number): Int32Array => {
    let order = permutations.get(which);
    if (order === undefined) {
      order = Int32Array.from({ length: size }, (_, index) => index);
      if (shuffle) {
        const rng = deriveRng(seed, 1, which, 0);
        for (let i = size - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          const swap = order[i] as number;
          order[i] = order[j] as number;
          order[j] = swap;
        }
      }
      permutations.set(which, order);
    }
    return order;
  };

  const schedule = (target: number): void => {
    while (pending.length < target && scheduledEpoch < epochs) {
      const start = scheduledBatch * batchSize;
      const indices = permutation(scheduledEpoch).slice(start, Math.min(start + batchSize, size));
      const examples = dataset.read(indices);
      // Rejections surface when the batch is awaited; this only stops an "unhandled" report.
      examples.catch(() => undefined);
      pending.push({ epoch: scheduledEpoch, batchIndex: scheduledBatch, indices, examples });
      scheduledBatch++;
      if (scheduledBatch === batchesPerEpoch) {
        scheduledBatch = 0;
        scheduledEpoch++;
      }
    }
    for (const old of permutations.keys()) if (old < epoch) permutations.delete(old);
  };

  const iterator: BatchIterator = {
    batchesPerEpoch,
    async next(resolution?: number): Promise<EpochBatch | null> {
      const target = resolution ?? options.resolution ?? dataset.height;
      if (target === undefined) {
        throw new InvalidDataOptionError(
          'resolution',
          target,
          `a positive integer (${dataset.name} has no fixed size)`,
        );
      }
      validateResolution(target);
      if (closed) return null;
      schedule(1);
      const head = pending.shift();
      if (head === undefined) return null;
      schedule(prefetch);
      const examples = await head.examples;
      const batch = transformExamples(examples, {
        resolution: target,
        augmentation,
        normalization,
        rng: deriveRng(seed, 2, head.epoch, head.batchIndex),
      });
      epoch = head.batchIndex + 1 === batchesPerEpoch ? head.epoch + 1 : head.epoch;
      batchIndex = head.batchIndex + 1 === batchesPerEpoch ? 0 : head.batchIndex + 1;
      return { ...batch, epoch: head.epoch, batchIndex: head.batchIndex, indices: head.indices };
    },
    state: () => ({
      version: 1,
      seed,
      epoch,
      batchIndex,
      datasetSize: size,
      batchSize,
      shuffle,
      dropLast,
    }),
    close(): void {
      closed = true;
      pending.length = 0;
      permutations.clear();
    },
    [Symbol.asyncIterator](): AsyncIterator<EpochBatch> {
      return {
        next: async () => {
          const batch = await iterator.next();
          return batch === null ? { done: true, value: undefined } : { done: false, value: batch };
        },
        return: async () => {
          iterator.close();
          return { done: true, value: undefined };
        },
      };
    },
  };
  return iterator;
}

function resolveSeed(
  options: BatchIteratorOptions,
  needsRandomness: boolean,
): readonly [number, number] {
  if (options.state !== undefined)
    return [options.state.seed[0] >>> 0, options.state.seed[1] >>> 0];
  if (options.rng === undefined) {
    if (needsRandomness) {
      throw new InvalidDataOptionError(
        'rng',
        undefined,
        'an Rng (shuffling or random augmentation needs one)',
      );
    }
    return [0, 0];
  }
  return [options.rng.int(2 ** 32), options.rng.int(2 ** 32)];
}

function checkState(
  state: BatchIteratorState,
  size: number,
  batchSize: number,
  batchesPerEpoch: number,
): void {
  if (state.version !== 1) throw new InvalidDataOptionError('state.version', state.version, '1');
  if (state.datasetSize !== size) {
    throw new InvalidDataOptionError(
      'state.datasetSize',
      state.datasetSize,
      `the dataset size ${size}`,
    );
  }
  if (state.batchSize !== batchSize) {
    throw new InvalidDataOptionError(
      'state.batchSize',
      state.batchSize,
      `the batchSize option ${batchSize}`,
    );
  }
  if (!(Number.isInteger(state.epoch) && state.epoch >= 0)) {
    throw new InvalidDataOptionError('state.epoch', state.epoch, 'an integer >= 0');
  }
  if (
    !(
      Number.isInteger(state.batchIndex) &&
      state.batchIndex >= 0 &&
      state.batchIndex < batchesPerEpoch
    )
  ) {
    throw new InvalidDataOptionError(
      'state.batchIndex',
      state.batchIndex,
      `an integer in [0, ${batchesPerEpoch})`,
    );
  }
}
