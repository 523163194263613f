import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  batchMoments,
  batchNormEpsilon,
  batchNormTraining,
  batchNormWithStatistics,
} from './batch-norm.js';
import { registerGradients } from './register-gradients.js';
import { maxAbsDifference, randomBatch, useCpu } from './test-utils/elastic-fixtures.js';

/** BN in training mode written with plain ops, so autodiff gives the reference gradient. */
function plainBatchNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const mean = tf.mean(x, [0, 1, 2]);
  const variance = tf.mean(tf.square(tf.sub(x, mean)), [0, 1, 2]);
  return tf.add(
    tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, batchNormEpsilon))), gamma),
    beta,
  );
}

describe('batchNormTraining', () => {
  beforeAll(async () => {
    await useCpu();
    await registerGradients();
  }, 120_000);

  it('normalises with the batch statistics and has the gradient autodiff gives', () => {
    const before = tf.memory().numTensors;
    const x = tf.tidy(() => tf.add(tf.mul(randomBatch([3, 4, 5, 6], 1), 3), 2));
    const gamma = tf.tensor1d([0.5, 1, 1.5, -2, 0.1, 3]);
    const beta = tf.tensor1d([0, 1, -1, 0.5, 0.2, -0.3]);
    const upstream = randomBatch([3, 4, 5, 6], 2);
    const loss = (bn: typeof plainBatchNorm) => (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(bn(a, g, b), upstream));
    // tf.grads keeps only the gradients; the losses' intermediates are freed by the engine.
    const custom = tf.grads(
      loss((a, g, b) => batchNormTraining(a, g as tf.Tensor1D, b as tf.Tensor1D)),
    )([x, gamma, beta]);
    const plain = tf.grads(loss(plainBatchNorm))([x, gamma, beta]);
    const forwardDifference = tf.tidy(() =>
      maxAbsDifference(batchNormTraining(x, gamma, beta), plainBatchNorm(x, gamma, beta)),
    );
    expect(forwardDifference).toBeLessThan(1e-5);
    custom.forEach((gradient, index) => {
      expect(maxAbsDifference(gradient, plain[index] as tf.Tensor)).toBeLessThan(1e-4);
    });
    tf.dispose([x, gamma, beta, upstream, ...custom, ...plain]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('batchMoments', () => {
  it('gives the per-channel mean and biased variance over N, H and W', () => {
    const x = tf.tensor4d([1, 10, 3, 20, 5, 30, 7, 40], [2, 2, 1, 2]);
    const { mean, variance, count } = batchMoments(x);
    expect(Array.from(mean.dataSync())).toEqual([4, 25]);
    expect(Array.from(variance.dataSync())).toEqual([5, 125]);
    expect(count).toBe(4);
    tf.dispose([x, mean, variance]);
  });
});

describe('batchNormWithStatistics', () => {
  it('applies gamma * (x - mean) / sqrt(variance + eps) + beta', () => {
    const x = tf.tensor2d([[2, 4]]);
    const y = batchNormWithStatistics(
      x,
      tf.tensor1d([2, 1]),
      tf.tensor1d([1, 0]),
      tf.tensor1d([1, 2]),
      tf.tensor1d([4, 1]),
      0,
    );
    expect(Array.from(y.dataSync())).toEqual([2, 2]);
    tf.dispose([x, y]);
  });
});
