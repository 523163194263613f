import { mkdir } from 'node:fs/promises';
import { createBatchIterator } from '@supernas/data';
import {
  calibrateBatchNorm,
  disposeStaticSubnet,
  exportGraphModel,
  extractSubnet,
} from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
import { countFlops } from '@supernas/flops';
import { type ArchConfig, createRng } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import type { OpenRun } from './open-run.js';

/** Calibrates `arch`'s BN on training batches, extracts it and writes a tfjs graph model to `out`. */
export async function calibrateAndExport(
  run: OpenRun,
  arch: ArchConfig,
  out: string,
): Promise<{ batches: number; mflops: number }> {
  const { evaluation } = run.config;
  const iterator = createBatchIterator(run.train, {
    batchSize: Math.min(evaluation.calibrationBatchSize, run.train.size),
    mode: 'train',
    rng: createRng(run.config.seed),
    resolution: arch.resolution,
    ...(run.config.data.augmentation === undefined
      ? {}
      : { augmentation: run.config.data.augmentation }),
  });
  async function* batches(): AsyncGenerator<tf.Tensor4D> {
    for (let i = 0; i < evaluation.calibrationBatches; i++) {
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
  const calibration = await calibrateBatchNorm(run.supernet, arch, batches(), {
    maxBatches: evaluation.calibrationBatches,
  });
  iterator.close();
  const subnet = extractSubnet(run.supernet, arch);
  try {
    await mkdir(out, { recursive: true });
    await exportGraphModel(subnet, fileSystemHandler(out));
  } finally {
    disposeStaticSubnet(subnet);
  }
  const { flops } = countFlops(run.space, arch, {
    numClasses: run.supernet.numClasses,
    inputChannels: run.supernet.inputChannels,
  });
  return { batches: calibration.batches, mflops: flops / 1e6 };
}
