import { describeForBackends, expectClose } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { runKernelOn, useBackend } from './test-utils/backend-gradients.js';
import { setUpBackends } from './test-utils/set-up-backends.js';

describeForBackends(['wasm'], 'createCast', () => {
  beforeAll(async () => {
    await setUpBackends();
  });

  it.each([
    ['bool', 'float32'],
    ['int32', 'float32'],
    ['float32', 'int32'],
    ['float32', 'bool'],
    ['int32', 'bool'],
    ['float32', 'float32'],
    ['int32', 'int32'],
  ] as const)('casts %s to %s like the cpu backend', async (from, to) => {
    const run = (backendName: string) =>
      runKernelOn(
        backendName,
        tf.Cast,
        { x: { shape: [3, 7], dtype: from, seed: 4 } },
        { dtype: to },
      );
    const expected = await run('cpu');
    const actual = await run('wasm');
    expect(actual.dtype).toBe(to);
    expectClose(actual.values, expected.values, { rtol: 0, atol: 0 });
  });

  it('shares the data of a same-dtype cast, which outlives its source', async () => {
    await useBackend('wasm');
    const source = tf.tensor([1.5, -2, 3]);
    const before = tf.memory().numTensors;
    const cast = tf.engine().runKernel(tf.Cast, { x: source }, { dtype: 'float32' }) as tf.Tensor;
    expect(cast.dataId).toBe(source.dataId);
    source.dispose();
    expect(Array.from(cast.dataSync())).toEqual([1.5, -2, 3]);
    cast.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
  });
});
