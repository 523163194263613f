import { describeForBackends, expectClose } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { runKernelOn } from './test-utils/backend-gradients.js';
import { setUpBackends } from './test-utils/set-up-backends.js';

describeForBackends(['wasm'], 'createBatchMatMul', () => {
  beforeAll(async () => {
    await setUpBackends();
  });

  it.each([
    { a: [1, 64, 16], b: [1, 64, 24], transposeA: true, transposeB: false },
    { a: [2, 5, 7], b: [2, 3, 7], transposeA: false, transposeB: true },
    { a: [3, 7, 5], b: [3, 4, 7], transposeA: true, transposeB: true },
    { a: [1, 6, 9], b: [1, 9, 4], transposeA: false, transposeB: false },
  ])(
    'multiplies $a x $b (transposeA $transposeA, transposeB $transposeB) like the cpu backend',
    async ({ a, b, transposeA, transposeB }) => {
      const run = (backendName: string) =>
        runKernelOn(
          backendName,
          tf.BatchMatMul,
          {
            a: { shape: a, dtype: 'float32', seed: 1 },
            b: { shape: b, dtype: 'float32', seed: 2 },
          },
          { transposeA, transposeB },
        );
      const expected = await run('cpu');
      const before = tf.memory().numTensors;
      const actual = await run('wasm');
      expect(actual.shape).toEqual(expected.shape);
      expectClose(actual.values, expected.values, { rtol: 0, atol: 1e-4 });
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
