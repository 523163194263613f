import { InvalidDataOptionError } from './errors.js';
import { readBatchWith } from './read-batch.js';
import type {
  Augmentation,
  Dataset,
  DatasetSplit,
  Normalization,
  RawExamples,
  RawImage,
} from './types.js';

export interface InMemoryDatasetSpec {
  readonly name: string;
  readonly split: DatasetSplit | undefined;
  readonly origin: string;
  /** `size * height * width * channels` bytes, HWC per image. */
  readonly pixels: Uint8Array;
  readonly labels: ArrayLike<number>;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly classNames?: readonly string[];
  readonly normalization: Normalization;
  readonly trainAugmentation: Augmentation;
  readonly evalAugmentation: Augmentation;
}

/** A fixed-size dataset held as one uint8 buffer (MNIST-like and CIFAR sets). */
export function createInMemoryDataset(spec: InMemoryDatasetSpec): Dataset {
  const { pixels, height, width, channels } = spec;
  const pixelsPerImage = height * width * channels;
  const size = spec.labels.length;
  if (pixels.length !== size * pixelsPerImage) {
    throw new InvalidDataOptionError(
      'pixels.length',
      pixels.length,
      `${size} images x ${height} x ${width} x ${channels} = ${size * pixelsPerImage}`,
    );
  }
  const labels = Int32Array.from(spec.labels);
  const dataset: Dataset = {
    name: spec.name,
    split: spec.split,
    size,
    numClasses: spec.numClasses,
    channels,
    height,
    width,
    classNames: spec.classNames,
    normalization: spec.normalization,
    trainAugmentation: spec.trainAugmentation,
    evalAugmentation: spec.evalAugmentation,
    origin: spec.origin,
    read: async (indices) => readExamples(indices),
    readBatch: (indices, options) => readBatchWith(dataset, indices, options),
  };
  function readExamples(indices: ArrayLike<number>): RawExamples {
    const images: RawImage[] = [];
    const batchLabels = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i] as number;
      if (!(Number.isInteger(index) && index >= 0 && index < size)) {
        throw new InvalidDataOptionError(`${spec.name} index`, index, `an integer in [0, ${size})`);
      }
      const start = index * pixelsPerImage;
      images.push({
        data: pixels.subarray(start, start + pixelsPerImage),
        height,
        width,
        channels,
      });
      batchLabels[i] = labels[index] as number;
    }
    return { images, labels: batchLabels };
  }
  return dataset;
}
