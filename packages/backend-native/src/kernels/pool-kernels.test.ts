import { describeForBackends, seededTensor } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getNativeKernelStats, resetNativeKernelStats } from '../index.js';
import { expectBackendsAgree, setUpBackends } from '../test-utils/backends.js';

describeForBackends(['native'], 'poolKernels', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  const cases: [number, number, 'same' | 'valid'][] = [
    [2, 2, 'valid'],
    [3, 2, 'same'],
    [3, 1, 'same'],
    [2, 2, 'same'],
    [3, 2, 'valid'],
  ];
  for (const [size, stride, pad] of cases) {
    it(`matches cpu for avg pool ${size}x${size} stride ${stride} ${pad}, its gradient and max pool`, async () => {
      resetNativeKernelStats();
      await expectBackendsAgree(() => {
        const x = seededTensor([3, 9, 8, 5], 1) as tf.Tensor4D;
        const pooled = tf.avgPool(x, size, stride, pad);
        const upstream = seededTensor(pooled.shape, 2);
        const dx = tf.grad((input: tf.Tensor) =>
          tf.sum(tf.mul(tf.avgPool(input as tf.Tensor4D, size, stride, pad), upstream)),
        )(x);
        return [pooled, dx, tf.maxPool(x, size, stride, pad)];
      });
      const { native } = getNativeKernelStats();
      expect(native.AvgPool).toBeGreaterThan(0);
      expect(native.AvgPoolGrad).toBe(1);
      expect(native.MaxPool).toBe(1);
    });
  }

  it('matches cpu for ceil-mode average pooling (the shortcut of strided blocks)', async () => {
    await expectBackendsAgree(() => [
      tf.avgPool(seededTensor([2, 7, 7, 3], 3) as tf.Tensor4D, 2, 2, 0, 'ceil'),
      tf.avgPool(seededTensor([2, 9, 8, 3], 4) as tf.Tensor4D, 3, 2, 1, 'ceil'),
    ]);
  });
});
