import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelNames } from './kernels/fused-kernels.js';

function hasKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

function isFloat(...tensors: tf.Tensor[]): boolean {
  return tensors.every((tensor) => tensor.dtype === 'float32' && tensor.size > 0);
}

function reductionAxes(rank: number): number[] {
  return Array.from({ length: rank - 1 }, (_, axis) => axis);
}

/** The closed-form op, for backends without the fused kernels. */
function composedBatchNorm(epsilon: number) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const axes = reductionAxes(x.rank);
    const centered = tf.sub(x, tf.mean(x, axes));
    const inverseStd = tf.rsqrt(tf.add(tf.mean(tf.square(centered), axes), epsilon));
    const scale = tf.mul(gamma, inverseStd);
    save([centered, inverseStd, scale]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedCentered, savedInverseStd, savedScale] = saved as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
      const count = x.size / (x.shape[x.rank - 1] ?? 1);
      const dBeta = tf.sum(dy, axes);
      const dGamma = tf.mul(tf.sum(tf.mul(dy, savedCentered), axes), savedInverseStd);
      const shift = tf.mul(savedScale, tf.div(dBeta, -count));
      const slope = tf.mul(tf.mul(savedScale, savedInverseStd), tf.div(dGamma, -count));
      const dx = tf.add(tf.add(tf.mul(dy, savedScale), tf.mul(savedCentered, slope)), shift);
      return [dx, dGamma, dBeta];
    };
    return { value: tf.add(tf.mul(centered, scale), beta), gradFunc };
  });
}

/**
 * Batch norm through a pair of fused kernels: BN alone, or BN + swish (which also saves beta,
 * the gradient kernel recomputes the activation's input from it).
 */
function fusedBatchNorm(epsilon: number, withSwish: boolean) {
  const forward = withSwish
    ? fusedKernelNames.batchNormSwishTraining
    : fusedKernelNames.batchNormTraining;
  const backward = withSwish
    ? fusedKernelNames.batchNormSwishTrainingGrad
    : fusedKernelNames.batchNormTrainingGrad;
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [y, mean, inverseStd] = tf
      .engine()
      .runKernel(forward, { x, gamma, beta }, { epsilon }) as tf.Tensor[];
    save([x, mean as tf.Tensor, inverseStd as tf.Tensor, gamma, ...(withSwish ? [beta] : [])]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedX, savedMean, savedInverseStd, savedGamma, savedBeta] = saved as tf.Tensor[];
      return tf.engine().runKernel(backward, {
        dy,
        x: savedX as tf.Tensor,
        mean: savedMean as tf.Tensor,
        inverseStd: savedInverseStd as tf.Tensor,
        gamma: savedGamma as tf.Tensor,
        ...(savedBeta === undefined ? {} : { beta: savedBeta }),
      }) as tf.Tensor[];
    };
    return { value: y as tf.Tensor, gradFunc };
  });
}

const batchNormOps = new Map<string, ReturnType<typeof composedBatchNorm>>();

/** The op for BN (with swish or not), by whether the fused kernel takes these inputs. */
function batchNormOp(
  withSwish: boolean,
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): ReturnType<typeof composedBatchNorm> | undefined {
  const kernelName = withSwish
    ? fusedKernelNames.batchNormSwishTraining
    : fusedKernelNames.batchNormTraining;
  const channels = x.shape[x.rank - 1];
  const fused =
    hasKernel(kernelName) &&
    gamma.size === channels &&
    beta.size === channels &&
    isFloat(x, gamma, beta);
  // BN + swish without the fused kernel is the two ops (see batchNormSwishTraining).
  if (!fused && withSwish) return undefined;
  const key = `${fused ? 'fused' : 'composed'}:${withSwish}:${epsilon}`;
  let op = batchNormOps.get(key);
  if (op === undefined) {
    op = fused ? fusedBatchNorm(epsilon, withSwish) : composedBatchNorm(epsilon);
    batchNormOps.set(key, op);
  }
  return op;
}

/**
 * Batch norm in training mode over every axis but the last (channels last): normalise `x`
 * with its batch mean and biased variance, then scale by `gamma` and shift by `beta`, with a
 * closed-form gradient. On the `native` backend forward and backward are one fused kernel each
 * (2 passes over `x` each way); elsewhere it runs as tfjs ops with the same result.
 */
export function batchNormTraining<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon = 1e-5,
): T {
  return batchNormOp(false, x, gamma, beta, epsilon)!(x, gamma, beta) as T;
}

const fusedSwish = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([x]);
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) =>
    tf
      .engine()
      .runKernel(fusedKernelNames.swishGrad, { dy, x: saved[0] as tf.Tensor }) as tf.Tensor;
  return { value: tf.engine().runKernel(fusedKernelNames.swish, { x }) as tf.Tensor, gradFunc };
});

const composedSwish = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const sigmoid = tf.sigmoid(x);
  const value = tf.mul(x, sigmoid);
  save([sigmoid, value]);
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
    const [s, y] = saved as [tf.Tensor, tf.Tensor];
    return tf.mul(dy, tf.add(s, tf.sub(y, tf.mul(y, s))));
  };
  return { value, gradFunc };
});

/** x * sigmoid(x); one fused kernel each way on the `native` backend, tfjs ops elsewhere. */
export function swish<T extends tf.Tensor>(x: T): T {
  const fused = hasKernel(fusedKernelNames.swish) && isFloat(x);
  return (fused ? fusedSwish(x) : composedSwish(x)) as T;
}

/**
 * `swish(batchNormTraining(x, gamma, beta, epsilon))`, as an MBConv layer runs them. On the
 * `native` backend one kernel each way (2 passes over `x` forward, 2 backward; the normalised
 * tensor is never stored); elsewhere the two ops, with the same results.
 */
export function batchNormSwishTraining<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon = 1e-5,
): T {
  const op = batchNormOp(true, x, gamma, beta, epsilon);
  return (
    op === undefined ? swish(batchNormTraining(x, gamma, beta, epsilon)) : op(x, gamma, beta)
  ) as T;
}
