import { describeForBackends, expectClose } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runKernelOn } from './test-utils/backend-gradients.js';
import { setUpBackends } from './test-utils/set-up-backends.js';
import { tileInPlace } from './tile.js';

describe('tileInPlace', () => {
  it('repeats the innermost axis, then each block of outer axes', () => {
    const data = new Float32Array(12);
    data.set([1, 2, 3]);
    tileInPlace(data, [1, 3], [2, 2]);
    expect(Array.from(data)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
  });

  it('interleaves like tf.tile on a middle axis', () => {
    const data = new Int32Array(8);
    data.set([1, 2, 3, 4]);
    tileInPlace(data, [2, 1, 2], [1, 2, 1]);
    expect(Array.from(data)).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
  });

  it('repeats single elements', () => {
    const data = new Uint8Array(6);
    data.set([1, 0]);
    tileInPlace(data, [2, 1], [1, 3]);
    expect(Array.from(data)).toEqual([1, 1, 1, 0, 0, 0]);
  });
});

describeForBackends(['wasm'], 'createTile', () => {
  beforeAll(async () => {
    await setUpBackends();
  });

  it.each([
    { shape: [1, 1, 1, 5], reps: [2, 3, 4, 1] },
    { shape: [2, 3], reps: [3, 2] },
    { shape: [3, 1, 2], reps: [1, 4, 1] },
    { shape: [4], reps: [1] },
    { shape: [2, 2, 2], reps: [2, 1, 3] },
  ])('tiles $shape by $reps like the cpu backend', async ({ shape, reps }) => {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const run = (backendName: string) =>
        runKernelOn(backendName, tf.Tile, { x: { shape, dtype, seed: 3 } }, { reps });
      const expected = await run('cpu');
      const actual = await run('wasm');
      expect(actual.shape).toEqual(expected.shape);
      expect(actual.dtype).toBe(dtype);
      expectClose(actual.values, expected.values, { rtol: 0, atol: 0 });
    }
  });
});
