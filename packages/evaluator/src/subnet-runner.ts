import type { GraphModel } from '@tensorflow/tfjs-converter';
import type * as tf from '@tensorflow/tfjs-core';
import type { ExportMetadata } from './export-metadata.js';

/** Anything that maps a batch of normalised NHWC images to logits: an exported model, a static subnet. */
export interface SubnetRunner {
  /** `[height, width, channels]` of one image. */
  readonly inputShape: readonly [number, number, number];
  /** Logits `[batch, numClasses]`; the caller disposes them. */
  run(images: tf.Tensor4D): tf.Tensor2D;
}

/** A runner over an exported subnet's graph model, with the shape from its metadata. */
export function graphModelRunner(model: GraphModel, metadata: ExportMetadata): SubnetRunner {
  const [, height, width, channels] = metadata.inputShape as [number, number, number, number];
  return {
    inputShape: [height, width, channels],
    run: (images) =>
      model.execute({ [metadata.inputName]: images }, metadata.outputName) as tf.Tensor2D,
  };
}
