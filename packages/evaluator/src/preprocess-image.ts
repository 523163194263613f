import * as tf from '@tensorflow/tfjs-core';
import type { ExportMetadata } from './export-metadata.js';

/** Pixels as `tf.browser.fromPixels` accepts them, or an HWC tensor of 0..255 values. */
export type ImageInput = tf.Tensor3D | Parameters<typeof tf.browser.fromPixels>[0];

/**
 * The run's own evaluation transform: the whole image resized to the subnet's resolution
 * (bilinear, half-pixel centres, as the data pipeline), scaled to [0, 1] and normalised with the
 * training set's mean and std. Colour images become grey for one-channel models. Returns
 * `[1, resolution, resolution, channels]`.
 */
export function preprocessImage(image: ImageInput, metadata: ExportMetadata): tf.Tensor4D {
  const [, height, width, channels] = metadata.inputShape as [number, number, number, number];
  return tf.tidy(() => {
    let pixels = tf.cast(
      image instanceof tf.Tensor ? image : tf.browser.fromPixels(image, 3),
      'float32',
    ) as tf.Tensor3D;
    const have = pixels.shape[2];
    if (have === 4) pixels = tf.slice(pixels, [0, 0, 0], [-1, -1, 3]);
    // ITU-R 601 luma, with weights that sum to 1 so grey images (R = G = B) stay exact.
    if (channels === 1 && pixels.shape[2] === 3)
      pixels = tf.sum(tf.mul(pixels, tf.tensor1d([0.299, 0.587, 0.114])), -1, true);
    if (channels === 3 && pixels.shape[2] === 1) pixels = tf.tile(pixels, [1, 1, 3]);
    const resized = tf.image.resizeBilinear(pixels as tf.Tensor3D, [height, width], false, true);
    const mean = tf.tensor1d([...metadata.normalization.mean]);
    const std = tf.tensor1d([...metadata.normalization.std]);
    return tf.expandDims(tf.div(tf.sub(tf.div(resized, 255), mean), std), 0) as tf.Tensor4D;
  });
}
