import type { Rng } from '@supernas/search-space';
import { centerCropBox, padCropBox, randomResizedCropBox, validateCropRanges } from './crop-box.js';
import { InvalidDataOptionError } from './errors.js';
import { type CropBox, sampleBilinear } from './sample-bilinear.js';
import type { Augmentation, Batch, Normalization, RawExamples } from './types.js';

export interface TransformOptions {
  readonly resolution: number;
  readonly augmentation: Augmentation;
  readonly normalization: Normalization;
  /** Required when the augmentation draws anything (crops, flips). */
  readonly rng?: Rng;
}

/**
 * Crops, flips, resizes and normalises decoded examples into one NHWC float batch. Random draws
 * happen in example order, so a batch is a pure function of the examples and the rng state.
 */
export function transformExamples(examples: RawExamples, options: TransformOptions): Batch {
  const { resolution, augmentation, normalization } = options;
  validateResolution(resolution);
  validateAugmentation(augmentation);
  const count = examples.images.length;
  if (examples.labels.length !== count) {
    throw new InvalidDataOptionError(
      'labels.length',
      examples.labels.length,
      `the number of images (${count})`,
    );
  }
  const channels = examples.images[0]?.channels ?? normalization.mean.length;
  const { scale, bias } = normalizationCoefficients(normalization, channels);
  const rng = options.rng;
  if (isRandom(augmentation) && rng === undefined) {
    throw new InvalidDataOptionError(
      'rng',
      rng,
      `an Rng for the random ${augmentation.kind} augmentation`,
    );
  }
  const pixelsPerImage = resolution * resolution * channels;
  const images = new Float32Array(count * pixelsPerImage);
  examples.images.forEach((image, index) => {
    if (image.channels !== channels) {
      throw new InvalidDataOptionError(
        `images[${index}].channels`,
        image.channels,
        `${channels} like the first image`,
      );
    }
    const box = cropBox(augmentation, image.height, image.width, resolution, rng);
    const flip = augmentation.flip && (rng as Rng).next() < 0.5;
    const padding = augmentation.kind === 'pad-crop' ? augmentation.padding : 0;
    sampleBilinear(
      image,
      box,
      { outputHeight: resolution, outputWidth: resolution, flip, padding, scale, bias },
      images,
      index * pixelsPerImage,
    );
  });
  return {
    images,
    labels: Int32Array.from(examples.labels),
    shape: [count, resolution, resolution, channels],
    size: count,
    resolution,
    channels,
  };
}

export function validateAugmentation(augmentation: Augmentation): void {
  switch (augmentation.kind) {
    case 'random-resized-crop':
      validateCropRanges(augmentation.scale, augmentation.ratio);
      return;
    case 'pad-crop':
      if (!(Number.isInteger(augmentation.padding) && augmentation.padding >= 0)) {
        throw new InvalidDataOptionError(
          'pad-crop padding',
          augmentation.padding,
          'an integer >= 0',
        );
      }
      return;
    case 'center-crop':
      if (!(augmentation.cropFraction > 0 && augmentation.cropFraction <= 1)) {
        throw new InvalidDataOptionError(
          'center-crop cropFraction',
          augmentation.cropFraction,
          'in (0, 1]',
        );
      }
      return;
    default:
      throw new InvalidDataOptionError(
        'augmentation.kind',
        (augmentation as { kind: unknown }).kind,
        "'random-resized-crop', 'pad-crop' or 'center-crop'",
      );
  }
}

export function validateResolution(resolution: number): void {
  if (!(Number.isInteger(resolution) && resolution > 0)) {
    throw new InvalidDataOptionError('resolution', resolution, 'a positive integer');
  }
}

export function isRandom(augmentation: Augmentation): boolean {
  if (augmentation.flip) return true;
  if (augmentation.kind === 'random-resized-crop') return true;
  return augmentation.kind === 'pad-crop' && augmentation.padding > 0;
}

function cropBox(
  augmentation: Augmentation,
  height: number,
  width: number,
  resolution: number,
  rng: Rng | undefined,
): CropBox {
  switch (augmentation.kind) {
    case 'random-resized-crop':
      return randomResizedCropBox(
        height,
        width,
        augmentation.scale,
        augmentation.ratio,
        rng as Rng,
      );
    case 'pad-crop':
      return augmentation.padding === 0
        ? { top: 0, left: 0, height, width }
        : padCropBox(height, width, augmentation.padding, rng as Rng);
    case 'center-crop':
      return centerCropBox(height, width, resolution, augmentation.cropFraction);
  }
}

function normalizationCoefficients(
  normalization: Normalization,
  channels: number,
): { scale: Float32Array; bias: Float32Array } {
  const { mean, std } = normalization;
  if (mean.length !== channels || std.length !== channels) {
    throw new InvalidDataOptionError(
      'normalization',
      `mean of ${mean.length}, std of ${std.length} values`,
      `one mean and one std per channel (${channels})`,
    );
  }
  const scale = new Float32Array(channels);
  const bias = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const deviation = std[c] as number;
    if (!(deviation > 0))
      throw new InvalidDataOptionError(`normalization.std[${c}]`, deviation, 'a positive number');
    scale[c] = 1 / (255 * deviation);
    bias[c] = -(mean[c] as number) / deviation;
  }
  return { scale, bias };
}
