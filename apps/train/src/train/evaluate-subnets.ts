import { type Augmentation, createBatchIterator, type Dataset } from '@supernas/data';
import { calibrateBatchNorm, type Supernet } from '@supernas/elastic';
import { countFlops } from '@supernas/flops';
import { type ArchConfig, archKey, createRng } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';

export interface SubnetResult {
  readonly label: string;
  readonly arch: ArchConfig;
  readonly key: string;
  readonly mflops: number;
  readonly params: number;
  readonly top1: number;
  readonly examples: number;
}

export interface EvaluationOptions {
  /** Calibration sees training images as training did: with the run's augmentation. */
  readonly augmentation?: Augmentation;
  readonly calibrationBatches: number;
  readonly calibrationBatchSize: number;
  readonly batchSize: number;
  readonly seed: number;
}

/**
 * Top-1 of one subnet as the published evaluation does it: recalibrate its BN statistics on
 * training batches (train augmentation), then classify the test split at its resolution.
 */
export async function evaluateSubnet(
  supernet: Supernet,
  arch: ArchConfig,
  label: string,
  data: { readonly train: Dataset; readonly test: Dataset },
  options: EvaluationOptions,
): Promise<SubnetResult> {
  const calibration = createBatchIterator(data.train, {
    batchSize: Math.min(options.calibrationBatchSize, data.train.size),
    mode: 'train',
    rng: createRng(options.seed),
    resolution: arch.resolution,
    ...(options.augmentation === undefined ? {} : { augmentation: options.augmentation }),
  });
  async function* calibrationBatches(): AsyncGenerator<tf.Tensor4D> {
    for (let i = 0; i < options.calibrationBatches; i++) {
      const batch = await calibration.next(arch.resolution);
      if (batch === null) return;
      const images = tf.tensor4d(batch.images, [...batch.shape]);
      try {
        yield images;
      } finally {
        images.dispose();
      }
    }
  }
  await calibrateBatchNorm(supernet, arch, calibrationBatches(), {
    maxBatches: options.calibrationBatches,
  });
  calibration.close();

  const test = createBatchIterator(data.test, {
    batchSize: options.batchSize,
    mode: 'eval',
    resolution: arch.resolution,
  });
  let correct = 0;
  let seen = 0;
  for (
    let batch = await test.next(arch.resolution);
    batch !== null;
    batch = await test.next(arch.resolution)
  ) {
    const predictions = tf.tidy(() => {
      const images = tf.tensor4d(batch!.images, [...batch!.shape]);
      return tf.argMax(supernet.apply(images, arch, { training: false }), 1);
    });
    const predicted = (await predictions.data()) as Int32Array;
    predictions.dispose();
    for (let i = 0; i < predicted.length; i++) if (predicted[i] === batch.labels[i]) correct++;
    seen += predicted.length;
  }
  const { flops, params } = countFlops(supernet.space, arch, {
    numClasses: supernet.numClasses,
    inputChannels: supernet.inputChannels,
  });
  return {
    label,
    arch,
    key: archKey(arch),
    mflops: flops / 1e6,
    params,
    top1: seen === 0 ? 0 : correct / seen,
    examples: seen,
  };
}
