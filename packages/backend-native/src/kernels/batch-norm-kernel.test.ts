import { describeForBackends, seededTensor } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getNativeKernelStats, resetNativeKernelStats } from '../index.js';
import { expectBackendsAgree, setUpBackends } from '../test-utils/backends.js';

describeForBackends(['native'], 'batchNormKernel', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  it('matches cpu with per-channel, scalar and missing parameters', async () => {
    resetNativeKernelStats();
    await expectBackendsAgree(() => {
      const x = seededTensor([4, 5, 6, 7], 1, -3, 3) as tf.Tensor4D;
      const mean = seededTensor([7], 2);
      const variance = seededTensor([7], 3, 0.1, 2);
      return [
        tf.batchNorm(x, mean, variance, seededTensor([7], 4), seededTensor([7], 5), 1e-3),
        tf.batchNorm(x, mean, variance, tf.tensor1d([0.5]), undefined, 1e-5),
        tf.batchNorm(x, tf.scalar(0.1), tf.scalar(0.9)),
      ];
    });
    expect(getNativeKernelStats().native.FusedBatchNorm).toBe(3);
  });

  it('matches cpu for training-mode batch norm and its gradients', async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([8, 6, 6, 5], 6, -2, 4);
      const gamma = seededTensor([5], 7, 0.5, 1.5);
      const beta = seededTensor([5], 8);
      const upstream = seededTensor([8, 6, 6, 5], 9);
      const [dx, dGamma, dBeta] = tf.grads(
        (input: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) => {
          const { mean, variance } = tf.moments(input, [0, 1, 2]);
          return tf.sum(tf.mul(tf.batchNorm(input, mean, variance, offset, scale, 1e-5), upstream));
        },
      )([x, gamma, beta]);
      return [dx as tf.Tensor, dGamma as tf.Tensor, dBeta as tf.Tensor];
    }, 2e-4);
  });
});
