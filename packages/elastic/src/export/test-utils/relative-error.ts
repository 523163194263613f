import * as tf from '@tensorflow/tfjs-core';

/** max |actual - expected| / max |expected|: the error relative to the output's scale. */
export function relativeError(actual: tf.Tensor, expected: tf.Tensor): number {
  return tf.tidy(() => {
    const difference = tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0] as number;
    const scale = tf.max(tf.abs(expected)).dataSync()[0] as number;
    return difference / scale;
  });
}
