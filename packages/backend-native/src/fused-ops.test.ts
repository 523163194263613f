import { describeForBackends, seededTensor } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { batchNormTraining, getNativeKernelStats, resetNativeKernelStats, swish } from './index.js';
import { expectBackendsAgree, setUpBackends } from './test-utils/backends.js';

describeForBackends(['native'], 'batchNormTraining', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  for (const shape of [
    [16, 9, 9, 12],
    [64, 8, 8, 40],
    [5, 24],
  ]) {
    it(`matches the composed ops on cpu, forward and gradients, for [${shape}]`, async () => {
      resetNativeKernelStats();
      const channels = shape[shape.length - 1] ?? 1;
      await expectBackendsAgree(() => {
        // A large mean checks the centred variance.
        const x = tf.add(seededTensor(shape, 1, -2, 3), 5);
        const gamma = seededTensor([channels], 2, 0.5, 1.5) as tf.Tensor1D;
        const beta = seededTensor([channels], 3) as tf.Tensor1D;
        const upstream = seededTensor(shape, 4);
        const y = batchNormTraining(x, gamma, beta, 1e-3);
        const gradients = tf.grads((input: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) =>
          tf.sum(
            tf.mul(
              batchNormTraining(input, scale as tf.Tensor1D, offset as tf.Tensor1D, 1e-3),
              upstream,
            ),
          ),
        )([x, gamma, beta]);
        return [y, ...gradients];
      }, 2e-4);
      const { native } = getNativeKernelStats();
      expect(native.SupernasBatchNormTraining).toBe(2);
      expect(native.SupernasBatchNormTrainingGrad).toBe(1);
    });
  }

  it('runs the composed ops for a gamma that is not per channel', async () => {
    resetNativeKernelStats();
    await expectBackendsAgree(() =>
      batchNormTraining(
        seededTensor([4, 3, 3, 6], 5),
        tf.scalar(2) as unknown as tf.Tensor1D,
        tf.zeros([6]),
      ),
    );
    expect(getNativeKernelStats().native.SupernasBatchNormTraining).toBeUndefined();
  });
});

describeForBackends(['native'], 'swish', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  it('matches the composed ops on cpu, forward and gradient', async () => {
    resetNativeKernelStats();
    await expectBackendsAgree(() => {
      const x = seededTensor([32, 9, 9, 17], 6, -8, 8);
      const upstream = seededTensor([32, 9, 9, 17], 7);
      return [swish(x), tf.grad((input: tf.Tensor) => tf.sum(tf.mul(swish(input), upstream)))(x)];
    });
    const { native } = getNativeKernelStats();
    expect(native.SupernasSwish).toBe(2);
    expect(native.SupernasSwishGrad).toBe(1);
  });

  it('equals x * sigmoid(x)', async () => {
    await tf.setBackend('native');
    const [fused, reference] = tf.tidy(() => {
      const x = tf.tensor1d([-3, -0.5, 0, 0.5, 3]);
      return [swish(x).arraySync() as number[], tf.mul(x, tf.sigmoid(x)).arraySync() as number[]];
    });
    fused.forEach((value, i) => {
      expect(value).toBeCloseTo(reference[i] ?? Number.NaN, 6);
    });
  });
});
