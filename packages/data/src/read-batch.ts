import { InvalidDataOptionError } from './errors.js';
import { transformExamples } from './transform-examples.js';
import type { Batch, Dataset, ReadBatchOptions } from './types.js';

/** `Dataset.readBatch` for any dataset: read, then transform (evaluation transform by default). */
export async function readBatchWith(
  dataset: Dataset,
  indices: ArrayLike<number>,
  options: ReadBatchOptions = {},
): Promise<Batch> {
  const resolution = options.resolution ?? dataset.height;
  if (resolution === undefined) {
    throw new InvalidDataOptionError(
      'resolution',
      resolution,
      `a positive integer (${dataset.name} has images of different sizes)`,
    );
  }
  const examples = await dataset.read(indices);
  return transformExamples(examples, {
    resolution,
    augmentation: options.augmentation ?? dataset.evalAugmentation,
    normalization: options.normalization ?? dataset.normalization,
    ...(options.rng === undefined ? {} : { rng: options.rng }),
  });
}
