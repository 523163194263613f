import { createRng } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCpuSliceKernel, sliceRows } from './register-cpu-slice-kernel.js';
import { useCpu } from './test-utils/elastic-fixtures.js';

describe('sliceRows', () => {
  it('copies a block of a row-major array', () => {
    const values = Float32Array.from({ length: 24 }, (_, i) => i);
    expect(Array.from(sliceRows(values, [2, 3, 4], [1, 1, 1], [1, 2, 2]))).toEqual([
      17, 18, 21, 22,
    ]);
    expect(Array.from(sliceRows(values, [24], [5], [3]))).toEqual([5, 6, 7]);
  });
});

describe('registerCpuSliceKernel', () => {
  beforeAll(useCpu);

  it('slices exactly as the original kernel for random blocks of ranks 1 to 4, float and int', () => {
    const rng = createRng(4);
    const cases = Array.from({ length: 24 }, (_, i) => {
      const rank = 1 + (i % 4);
      const shape = Array.from({ length: rank }, () => 1 + rng.int(6));
      const begin = shape.map((d) => rng.int(d));
      const size = shape.map((d, axis) => 1 + rng.int(d - (begin[axis] as number)));
      return { shape, begin, size, dtype: i % 3 === 0 ? ('int32' as const) : ('float32' as const) };
    });
    // useCpu already registered the row-copy kernel: compare with plain index arithmetic.
    expect(registerCpuSliceKernel()).toBe(true);
    for (const { shape, begin, size, dtype } of cases) {
      const total = shape.reduce((a, b) => a * b, 1);
      const x = tf.tensor(
        Array.from({ length: total }, (_, i) => i),
        shape,
        dtype,
      );
      const sliced = tf.slice(x, begin, size);
      const buffer = x.bufferSync();
      const expected = Array.from({ length: sliced.size }, (_, i) => {
        const location = sliced.bufferSync().indexToLoc(i);
        return buffer.get(...location.map((v, axis) => v + (begin[axis] as number)));
      });
      expect(sliced.dtype).toBe(dtype);
      expect(sliced.shape).toEqual(size);
      expect(Array.from(sliced.dataSync())).toEqual(expected);
      tf.dispose([x, sliced]);
    }
  });

  it('accepts -1 sizes as tf.slice does', () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const sliced = tf.slice(x, [0, 1], [-1, -1]);
    expect(Array.from(sliced.dataSync())).toEqual([2, 3, 5, 6]);
    tf.dispose([x, sliced]);
  });
});
