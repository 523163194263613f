import { createBatchIterator, type Dataset } from '@supernas/data';
import type { Supernet } from '@supernas/elastic';
import { countFlops } from '@supernas/flops';
import { type ArchConfig, archKey } from '@supernas/search-space';
import type { PhaseTimes } from '@supernas/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { type CalibrationOptions, calibrateOnTraining } from './calibrate-on-training.js';

export interface SubnetResult {
  readonly label: string;
  readonly arch: ArchConfig;
  readonly key: string;
  readonly mflops: number;
  readonly params: number;
  readonly top1: number;
  readonly examples: number;
}

/**
 * The most test images one forward pass takes, whatever `evaluation.batchSize` reads at once:
 * measured on the default job (native backend), the process peaked at 2.2 GB evaluating in
 * passes of 500 and at 1.25 GB in passes of 100 (bench/memory-soak.bench.mjs). Inference BN uses
 * the calibrated statistics, so the passes' size does not change a prediction.
 */
export const evaluationChunkSize = 100;

export interface EvaluationOptions extends CalibrationOptions {
  readonly batchSize: number;
  /** Adds the wall time of the calibration and of the test passes to `calibration` / `evaluation`. */
  readonly phases?: PhaseTimes;
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
  const calibratedAt = performance.now();
  await calibrateOnTraining(supernet, arch, data.train, options);
  const testedAt = performance.now();
  options.phases?.add('calibration', (testedAt - calibratedAt) / 1000);

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
    const [count, height, width, channels] = batch.shape;
    const perImage = height * width * channels;
    for (let start = 0; start < count; start += evaluationChunkSize) {
      const end = Math.min(count, start + evaluationChunkSize);
      const predictions = tf.tidy(() => {
        const images = tf.tensor4d(batch!.images.subarray(start * perImage, end * perImage), [
          end - start,
          height,
          width,
          channels,
        ]);
        return tf.argMax(supernet.apply(images, arch, { training: false }), 1);
      });
      const predicted = (await predictions.data()) as Int32Array;
      predictions.dispose();
      for (let i = 0; i < predicted.length; i++)
        if (predicted[i] === batch.labels[start + i]) correct++;
    }
    seen += count;
  }
  options.phases?.add('evaluation', (performance.now() - testedAt) / 1000);
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
