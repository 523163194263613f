import * as tf from '@tensorflow/tfjs-core';

/**
 * Spreads an NHWC tensor's rows and columns `stride` apart with zeros in between and after, so
 * `[N, H, W, C]` becomes `[N, H * strideHeight, W * strideWidth, C]` with the values at multiples
 * of the stride. Built from a reshape and one pad, because wasm's strided slices and scatters
 * are slow.
 */
export function dilateSpatial(
  x: tf.Tensor4D,
  strideHeight: number,
  strideWidth: number,
): tf.Tensor4D {
  if (strideHeight === 1 && strideWidth === 1) return x;
  const [batch, height, width, channels] = x.shape;
  return tf.tidy(() => {
    const spread = tf.pad(tf.reshape(x, [batch, height, 1, width, 1, channels]), [
      [0, 0],
      [0, 0],
      [0, strideHeight - 1],
      [0, 0],
      [0, strideWidth - 1],
      [0, 0],
    ]);
    return tf.reshape(spread, [batch, height * strideHeight, width * strideWidth, channels]);
  });
}
