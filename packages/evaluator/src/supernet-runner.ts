import {
  calibrateBatchNorm,
  disposeStaticSubnet,
  extractSubnet,
  type LoadedSupernet,
  loadSupernet,
  runStaticSubnet,
  type Supernet,
} from '@supernas/elastic';
import type { ArchConfig } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import type { ArtifactSource } from './artifact-source.js';
import type { ExportMetadata } from './export-metadata.js';
import { sourceLoadHandler } from './load-subnet-model.js';
import type { LoadedRunner } from './pick-backend.js';
import { type ImageInput, preprocessImage } from './preprocess-image.js';

/**
 * Loads a run's supernet checkpoint (`checkpoint/model.json`) through the source, for small
 * spaces: any arch can then be extracted and timed without exporting it first.
 */
export function loadRunSupernet(
  source: ArtifactSource,
  checkpointPath = 'checkpoint/model.json',
): Promise<LoadedSupernet> {
  return loadSupernet(sourceLoadHandler(source, checkpointPath));
}

/**
 * A runner over one arch extracted from a supernet (its checkpoint BN statistics, not
 * recalibrated: right for timing, not for accuracy).
 */
export function supernetArchRunner(supernet: Supernet, arch: ArchConfig): LoadedRunner {
  const subnet = extractSubnet(supernet, arch);
  return {
    inputShape: [arch.resolution, arch.resolution, supernet.inputChannels],
    run: (images) => runStaticSubnet(subnet, images),
    dispose: () => disposeStaticSubnet(subnet),
  };
}

/**
 * Images as batches of `batchSize` through the run's evaluation transform (`preprocessImage`) at
 * the shape `metadata` gives; each batch is disposed when the next is asked for.
 */
export function* imageBatches(
  images: readonly ImageInput[],
  metadata: ExportMetadata,
  batchSize: number,
): Generator<tf.Tensor4D> {
  for (let start = 0; start < images.length; start += batchSize) {
    const batch = tf.tidy(() =>
      tf.concat(
        images.slice(start, start + batchSize).map((image) => preprocessImage(image, metadata)),
      ),
    );
    try {
      yield batch;
    } finally {
      batch.dispose();
    }
  }
}

/**
 * A runner over `arch` with its BN statistics re-estimated on `batches` first (training images
 * at its resolution, normalised), as `supernas export` does: right for accuracy. Only the BN
 * entries the arch uses change in the supernet.
 */
export async function calibratedArchRunner(
  supernet: Supernet,
  arch: ArchConfig,
  batches: Iterable<tf.Tensor4D> | AsyncIterable<tf.Tensor4D>,
): Promise<LoadedRunner> {
  await calibrateBatchNorm(supernet, arch, batches);
  return supernetArchRunner(supernet, arch);
}
