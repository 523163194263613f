import type { Activation } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelNames, fusedSwish, hasFusedKernels } from './fused-kernels.js';

/** Every activation the supernet and a static subnet use: the block ones plus the SE gates. */
export type AnyActivation = Activation | 'sigmoid' | 'h_sigmoid';

/**
 * Applies an activation as the reference defines it: swish is x * sigmoid(x), h_swish is
 * x * relu6(x + 3) / 6 and h_sigmoid is relu6(x + 3) / 6.
 */
export function applyActivation<T extends tf.Tensor>(x: T, activation: AnyActivation): T {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'swish':
      return (
        hasFusedKernels(fusedKernelNames.swish, fusedKernelNames.swishGrad)
          ? fusedSwish(x)
          : swish(x)
      ) as T;
    case 'h_sigmoid':
      return hardSigmoid(x);
    case 'h_swish':
      return tf.mul(x, hardSigmoid(x));
    default:
      throw new RangeError(
        `applyActivation: unknown activation ${JSON.stringify(activation)}, expected one of swish, relu, relu6, h_swish, sigmoid, h_sigmoid`,
      );
  }
}

/**
 * x * sigmoid(x) with a hand-written gradient, dy * (s + y * (1 - s)) from the saved sigmoid s
 * and output y: 4 full-size ops instead of autodiff's 6 through the product and the sigmoid.
 */
const swish = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const sigmoid = tf.sigmoid(x);
  const value = tf.mul(x, sigmoid);
  save([sigmoid, value]);
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor => {
    const [savedSigmoid, savedValue] = saved as [tf.Tensor, tf.Tensor];
    return tf.mul(dy, tf.add(savedSigmoid, tf.sub(savedValue, tf.mul(savedValue, savedSigmoid))));
  };
  return { value, gradFunc };
});

function hardSigmoid<T extends tf.Tensor>(x: T): T {
  return tf.mul(tf.relu6(tf.add(x, 3)), 1 / 6);
}
