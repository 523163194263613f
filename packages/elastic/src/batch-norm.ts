import * as tf from '@tensorflow/tfjs-core';
import { type AnyActivation, applyActivation } from './activation.js';
import { batchNormEpsilon } from './batch-norm-epsilon.js';
import {
  fusedBatchNormSwishTraining,
  fusedBatchNormTraining,
  fusedKernelNames,
  hasFusedKernels,
} from './fused-kernels.js';

export { batchNormEpsilon };

/** Per-channel statistics of a batch: mean and biased variance (as used to normalise). */
export interface BatchMoments {
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
  /** Values per channel the statistics were taken over (N * H * W). */
  readonly count: number;
}

function reductionAxes(rank: number): number[] {
  return Array.from({ length: rank - 1 }, (_, axis) => axis);
}

/**
 * Batch statistics of `x` (channels last) over every axis but the last: mean and biased variance,
 * exactly what BN normalises with in training mode.
 */
export function batchMoments(x: tf.Tensor): BatchMoments {
  const axes = reductionAxes(x.rank);
  const mean = tf.mean(x, axes) as tf.Tensor1D;
  const variance = tf.mean(tf.squaredDifference(x, mean), axes) as tf.Tensor1D;
  return { mean, variance, count: x.size / (x.shape[x.rank - 1] as number) };
}

/**
 * BN in training mode: normalise with the batch statistics. The gradient is written out by hand
 * (the closed form, with per-channel factors folded so that forward and backward take 4 and 5
 * full-size ops) rather than left to autodiff, which takes about twice as many through the
 * broadcasts. Running statistics are left alone, as in the reference (trained with BN momentum 0
 * and calibrated afterwards).
 */
const batchNormTrainingOp = tf.customGrad(
  // customGrad passes the inputs then the save function in one rest list.
  (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const axes = reductionAxes(x.rank);
    const centered = tf.sub(x, tf.mean(x, axes));
    const inverseStd = tf.rsqrt(tf.add(tf.mean(tf.square(centered), axes), batchNormEpsilon));
    const scale = tf.mul(gamma, inverseStd);
    save([centered, inverseStd, scale]);
    const value = tf.add(tf.mul(centered, scale), beta);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [savedCentered, savedInverseStd, savedScale] = saved as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
      const count = x.size / (x.shape[x.rank - 1] as number);
      const dBeta = tf.sum(dy, axes);
      const dyCentered = tf.sum(tf.mul(dy, savedCentered), axes);
      const dGamma = tf.mul(dyCentered, savedInverseStd);
      // dx = scale * (dy - mean(dy) - xhat * mean(dy * xhat)), xhat = centered * inverseStd
      const shift = tf.mul(savedScale, tf.div(dBeta, -count));
      const slope = tf.mul(tf.mul(savedScale, savedInverseStd), tf.div(dGamma, -count));
      const dx = tf.add(tf.add(tf.mul(dy, savedScale), tf.mul(savedCentered, slope)), shift);
      return [dx, dGamma, dBeta];
    };
    return { value, gradFunc };
  },
);

export function batchNormTraining<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
): T {
  if (hasFusedKernels(fusedKernelNames.batchNormTraining, fusedKernelNames.batchNormTrainingGrad)) {
    return fusedBatchNormTraining(x, gamma, beta) as T;
  }
  return batchNormTrainingOp(x, gamma, beta) as T;
}

/**
 * `activation(batchNormTraining(x, gamma, beta))`, as every BN but the project one is followed.
 * Where the backend registers the fused BN + swish kernels (`@supernas/backend-native`) a swish
 * layer is one kernel each way, which neither writes nor keeps the normalised tensor; elsewhere,
 * and for other activations, the two ops, with the same results.
 */
export function batchNormActivationTraining<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  activation: AnyActivation,
): T {
  const fused =
    activation === 'swish' &&
    hasFusedKernels(
      fusedKernelNames.batchNormSwishTraining,
      fusedKernelNames.batchNormSwishTrainingGrad,
    );
  if (fused) return fusedBatchNormSwishTraining(x, gamma, beta) as T;
  return applyActivation(batchNormTraining(x, gamma, beta), activation);
}

/** BN with given statistics folded into one scale and one shift: two full-size ops. */
export function batchNormWithStatistics<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  epsilon = batchNormEpsilon,
): T {
  const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, epsilon)));
  const shift = tf.sub(beta, tf.mul(mean, scale));
  return tf.add(tf.mul(x, scale), shift);
}
