import { describeForBackends, expectClose } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { planReduction } from './reduce-by-avg-pool.js';
import { runKernelOn } from './test-utils/backend-gradients.js';
import { setUpBackends } from './test-utils/set-up-backends.js';

describe('planReduction', () => {
  it('views a batch-norm reduction over N, H, W as one pool over N*H by W', () => {
    expect(planReduction([8, 4, 5, 16], [0, 1, 2], 'float32')).toEqual({
      axes: [0, 1, 2],
      outer: 1,
      rows: 32,
      columns: 5,
      inner: 16,
    });
  });

  it('keeps outer axes as the batch of the pool', () => {
    expect(planReduction([8, 4, 5, 16], [-3, -2], 'float32')).toEqual({
      axes: [1, 2],
      outer: 8,
      rows: 4,
      columns: 5,
      inner: 16,
    });
  });

  it('leaves innermost, gapped, non-float and single-element reductions to the built-in kernel', () => {
    expect(planReduction([8, 4, 5, 16], [3], 'float32')).toBeNull();
    expect(planReduction([8, 4, 5, 16], [1, 2, 3], 'float32')).toBeNull();
    expect(planReduction([8, 4, 5, 16], [0, 2], 'float32')).toBeNull();
    expect(planReduction([8, 4, 5, 16], [0, 1, 2], 'int32')).toBeNull();
    expect(planReduction([1, 1, 3], [0, 1], 'float32')).toBeNull();
    expect(planReduction([0, 4, 3], [0], 'float32')).toBeNull();
  });
});

describeForBackends(['wasm'], 'createReduceByAvgPool', () => {
  beforeAll(async () => {
    await setUpBackends();
  });

  it.each([
    { shape: [6, 5, 7, 11], axis: [0, 1, 2], keepDims: false },
    { shape: [6, 5, 7, 11], axis: [0, 1, 2], keepDims: true },
    { shape: [6, 5, 7, 11], axis: [1, 2], keepDims: false },
    { shape: [6, 5, 7, 11], axis: 0, keepDims: false },
    { shape: [6, 5, 7, 11], axis: [3], keepDims: true },
    { shape: [6, 5, 7, 11], axis: [0, 2], keepDims: false },
    { shape: [30, 4], axis: [0], keepDims: false },
  ])(
    'sums and averages $shape over $axis (keepDims $keepDims) like the cpu backend',
    async ({ shape, axis, keepDims }) => {
      for (const kernelName of [tf.Sum, tf.Mean]) {
        const run = (backendName: string) =>
          runKernelOn(backendName, kernelName, { x: { shape, seed: 5 } }, { axis, keepDims });
        const expected = await run('cpu');
        const actual = await run('wasm');
        expect(actual.shape).toEqual(expected.shape);
        expectClose(actual.values, expected.values, { rtol: 0, atol: 1e-4 });
      }
    },
  );

  it('sums int32 tensors exactly through the built-in kernel', async () => {
    const run = (backendName: string) =>
      runKernelOn(
        backendName,
        tf.Sum,
        { x: { shape: [4, 3, 5], dtype: 'int32', seed: 6 } },
        { axis: [0, 1], keepDims: false },
      );
    const expected = await run('cpu');
    const actual = await run('wasm');
    expect(actual.dtype).toBe('int32');
    expectClose(actual.values, expected.values, { rtol: 0, atol: 0 });
  });
});
