import type { Rng } from '@supernas/search-space';

export type DatasetSplit = 'train' | 'test';

/** One decoded image: uint8 pixels, rows of pixels, channels interleaved (HWC). */
export interface RawImage {
  readonly data: Uint8Array;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Decoded, untransformed examples as a dataset returns them. */
export interface RawExamples {
  readonly images: readonly RawImage[];
  readonly labels: Int32Array;
}

/** Per-channel mean and standard deviation of pixel values scaled to [0, 1]. */
export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * How an image becomes a square `resolution` x `resolution` input.
 *
 * - `random-resized-crop`: torchvision's RandomResizedCrop (a random box covering `scale` of the
 *   area with an aspect ratio drawn log-uniformly from `ratio`), resized to the resolution.
 * - `pad-crop`: the CIFAR recipe: zero-pad by `padding` pixels, take a random crop of the
 *   original size, resize it to the resolution.
 * - `center-crop`: evaluation, torchvision style: resize the shorter side to
 *   `floor(resolution / cropFraction)` and take the centre `resolution` square. `cropFraction`
 *   0.875 is the ImageNet convention (256 -> 224); 1 resizes a square image whole.
 *
 * `flip` flips horizontally with probability 1/2.
 */
export type Augmentation =
  | {
      readonly kind: 'random-resized-crop';
      readonly scale: readonly [number, number];
      readonly ratio: readonly [number, number];
      readonly flip: boolean;
    }
  | { readonly kind: 'pad-crop'; readonly padding: number; readonly flip: boolean }
  | { readonly kind: 'center-crop'; readonly cropFraction: number; readonly flip: boolean };

/** A batch ready to become a tensor: `tf.tensor4d(batch.images, batch.shape)`. */
export interface Batch {
  /** NHWC, normalised. */
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly shape: readonly [number, number, number, number];
  readonly size: number;
  readonly resolution: number;
  readonly channels: number;
}

export interface ReadBatchOptions {
  /** Output side length; defaults to the dataset's native height (fixed-size datasets only). */
  readonly resolution?: number;
  /** Defaults to the dataset's evaluation transform. */
  readonly augmentation?: Augmentation;
  readonly normalization?: Normalization;
  /** Needed only when the augmentation is random. */
  readonly rng?: Rng;
}

export interface Dataset {
  readonly name: string;
  readonly split: DatasetSplit | undefined;
  readonly size: number;
  readonly numClasses: number;
  readonly channels: number;
  /** Native image size; undefined when images differ in size (image folders). */
  readonly height: number | undefined;
  readonly width: number | undefined;
  readonly classNames: readonly string[] | undefined;
  readonly normalization: Normalization;
  /** Sensible augmentation for this kind of data, for training and for evaluation. */
  readonly trainAugmentation: Augmentation;
  readonly evalAugmentation: Augmentation;
  /** Where the examples came from (files, package, cache), for logs and run records. */
  readonly origin: string;
  /** Decoded examples at native size; in-memory datasets return views, not copies. */
  read(indices: ArrayLike<number>): Promise<RawExamples>;
  /** Transformed, normalised examples (evaluation transform unless told otherwise). */
  readBatch(indices: ArrayLike<number>, options?: ReadBatchOptions): Promise<Batch>;
}
