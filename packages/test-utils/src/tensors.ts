import * as tf from '@tensorflow/tfjs-core';
import { seededValues } from './random.js';

/** A float32 tensor of `shape` holding `seededValues(shape, seed, low, high)`. */
export function seededTensor(shape: number[], seed: number, low = -1, high = 1): tf.Tensor {
  return tf.tensor(seededValues(shape, seed, low, high), shape, 'float32');
}
