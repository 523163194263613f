import { type Augmentation, createBatchIterator, type Dataset } from '@supernas/data';
import { type CalibrationResult, calibrateBatchNorm, type Supernet } from '@supernas/elastic';
import { type ArchConfig, createRng } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';

export interface CalibrationOptions {
  readonly calibrationBatches: number;
  readonly calibrationBatchSize: number;
  readonly seed: number;
  /** Calibration sees training images as training did: with the run's augmentation. */
  readonly augmentation?: Augmentation;
}

/**
 * Recalibrates `arch`'s BN statistics on training batches at its resolution, as the published
 * evaluation does before measuring a subnet.
 */
export async function calibrateOnTraining(
  supernet: Supernet,
  arch: ArchConfig,
  train: Dataset,
  options: CalibrationOptions,
): Promise<CalibrationResult> {
  const iterator = createBatchIterator(train, {
    batchSize: Math.min(options.calibrationBatchSize, train.size),
    mode: 'train',
    rng: createRng(options.seed),
    resolution: arch.resolution,
    ...(options.augmentation === undefined ? {} : { augmentation: options.augmentation }),
  });
  async function* batches(): AsyncGenerator<tf.Tensor4D> {
    for (let i = 0; i < options.calibrationBatches; i++) {
      const batch = await iterator.next(arch.resolution);
      if (batch === null) return;
      const images = tf.tensor4d(batch.images, [...batch.shape]);
      try {
        yield images;
      } finally {
        images.dispose();
      }
    }
  }
  try {
    return await calibrateBatchNorm(supernet, arch, batches(), {
      maxBatches: options.calibrationBatches,
    });
  } finally {
    iterator.close();
  }
}
