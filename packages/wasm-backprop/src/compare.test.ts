import { describeForBackends, expectClose } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { comparisons } from './compare.js';
import { runKernelOn, useBackend } from './test-utils/backend-gradients.js';
import { setUpBackends } from './test-utils/set-up-backends.js';

describeForBackends(['wasm'], 'createCompare', () => {
  beforeAll(async () => {
    await setUpBackends();
  });

  it.each(Object.keys(comparisons))('computes %s like the cpu backend', async (kernelName) => {
    const shapes: [number[], number[]][] = [
      [
        [4, 5, 6],
        [4, 5, 6],
      ],
      [[4, 5, 6], []],
      [[], [4, 5, 6]],
      [
        [2, 3],
        [1, 1],
      ],
      [[1], [2, 3]],
      [
        [3, 1],
        [1, 4],
      ],
    ];
    for (const [leftShape, rightShape] of shapes) {
      for (const dtype of ['float32', 'int32'] as const) {
        const run = (backendName: string) =>
          runKernelOn(
            backendName,
            kernelName,
            { a: { shape: leftShape, dtype, seed: 1 }, b: { shape: rightShape, dtype, seed: 1 } },
            {},
          );
        const expected = await run('cpu');
        const actual = await run('wasm');
        expect({ leftShape, rightShape, dtype, shape: actual.shape }).toEqual({
          leftShape,
          rightShape,
          dtype,
          shape: expected.shape,
        });
        expect(actual.dtype).toBe('bool');
        expectClose(actual.values, expected.values, { rtol: 0, atol: 0 });
      }
    }
  });

  it('treats NaN as unordered and unequal, like the cpu backend', async () => {
    await useBackend('wasm');
    const values = tf.tidy(() => {
      const nan = tf.tensor([Number.NaN, 1]);
      return [tf.lessEqual(nan, 1), tf.equal(nan, nan), tf.notEqual(nan, nan)].map((result) =>
        Array.from(result.dataSync()),
      );
    });
    expect(values).toEqual([
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
  });
});
