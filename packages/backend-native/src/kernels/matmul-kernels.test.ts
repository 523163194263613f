import { describeForBackends, seededTensor } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getNativeKernelStats, resetNativeKernelStats } from '../index.js';
import { expectBackendsAgree, setUpBackends } from '../test-utils/backends.js';

describeForBackends(['native'], 'matmulKernels', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  const cases: [number[], number[], boolean, boolean][] = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[4, 5, 6], [4, 6, 2], false, false],
    [[2, 3, 4, 5], [2, 3, 5, 6], false, false],
    [[300, 17], [17, 65], false, false],
  ];
  for (const [aShape, bShape, transposeA, transposeB] of cases) {
    it(`matches cpu for [${aShape}] x [${bShape}] (transposeA ${transposeA}, transposeB ${transposeB}) and its gradients`, async () => {
      resetNativeKernelStats();
      await expectBackendsAgree(() => {
        const a = seededTensor(aShape, 1);
        const b = seededTensor(bShape, 2);
        const product = tf.matMul(a, b, transposeA, transposeB);
        const upstream = seededTensor(product.shape, 3);
        const [da, db] = tf.grads((left: tf.Tensor, right: tf.Tensor) =>
          tf.sum(tf.mul(tf.matMul(left, right, transposeA, transposeB), upstream)),
        )([a, b]);
        return [product, da as tf.Tensor, db as tf.Tensor];
      });
      expect(getNativeKernelStats().fallback.BatchMatMul).toBeUndefined();
      expect(getNativeKernelStats().native.BatchMatMul).toBeGreaterThanOrEqual(3);
    });
  }

  it('matches cpu for batches that broadcast one side', async () => {
    await expectBackendsAgree(() => [
      tf.matMul(seededTensor([4, 5, 6], 11), seededTensor([1, 6, 2], 12)),
      tf.matMul(seededTensor([1, 6, 5], 13), seededTensor([3, 6, 2], 14), true, false),
      tf.matMul(seededTensor([2, 3, 4, 5], 15), seededTensor([5, 2], 16)),
    ]);
  });

  for (const activation of ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid'] as const) {
    it(`matches cpu for a fused matmul with bias and ${activation}`, async () => {
      resetNativeKernelStats();
      await expectBackendsAgree(() => {
        const a = seededTensor([9, 6], 4, -2, 2) as tf.Tensor2D;
        const b = seededTensor([6, 5], 5) as tf.Tensor2D;
        return [
          tf.fused.matMul({ a, b, bias: seededTensor([5], 6), activation, leakyreluAlpha: 0.25 }),
          tf.fused.matMul({
            a,
            b,
            bias: seededTensor([1, 5], 7),
            activation,
            leakyreluAlpha: 0.25,
          }),
          tf.fused.matMul({ a, b, bias: tf.scalar(0.3), activation, leakyreluAlpha: 0.25 }),
        ];
      });
      expect(getNativeKernelStats().native._FusedMatMul).toBe(3);
    });
  }

  it('leaves biases that broadcast along rows to the cpu kernel, with the same results', async () => {
    resetNativeKernelStats();
    await expectBackendsAgree(() => {
      const a = seededTensor([4, 3], 8) as tf.Tensor2D;
      const b = seededTensor([3, 2], 9) as tf.Tensor2D;
      return tf.fused.matMul({ a, b, bias: seededTensor([4, 1], 10), activation: 'relu' });
    });
    expect(getNativeKernelStats().fallback._FusedMatMul).toBe(1);
  });
});
