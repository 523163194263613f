import { describeForBackends, seededTensor } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getNativeKernelStats, resetNativeKernelStats } from '../index.js';
import { expectBackendsAgree, setUpBackends } from '../test-utils/backends.js';

describeForBackends(['native'], 'layoutKernels', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  it('matches cpu for transposes of every permutation of a rank-4 tensor', async () => {
    const perms: number[][] = [];
    for (const a of [0, 1, 2, 3])
      for (const b of [0, 1, 2, 3])
        for (const c of [0, 1, 2, 3])
          for (const d of [0, 1, 2, 3])
            if (new Set([a, b, c, d]).size === 4) perms.push([a, b, c, d]);
    resetNativeKernelStats();
    await expectBackendsAgree(() => {
      const x = seededTensor([3, 4, 5, 6], 1);
      return perms.map((perm) => tf.transpose(x, perm));
    });
    expect(getNativeKernelStats().native.Transpose).toBe(perms.length);
  });

  it('matches cpu for tiles, including the tile in the batch norm gradient', async () => {
    resetNativeKernelStats();
    await expectBackendsAgree(() => [
      tf.tile(seededTensor([1, 1, 1, 7], 2), [4, 5, 6, 1]),
      tf.tile(seededTensor([2, 3], 3), [3, 2]),
      tf.tile(seededTensor([2, 1, 3], 4), [1, 4, 1]),
    ]);
    expect(getNativeKernelStats().native.Tile).toBe(3);
  });

  it('matches cpu for non-contiguous slices', async () => {
    resetNativeKernelStats();
    await expectBackendsAgree(() => {
      const x = seededTensor([4, 6, 7, 5], 5);
      return [
        tf.slice(x, [1, 2, 0, 1], [2, 3, 7, 3]),
        tf.slice(x, [0, 1, 1, 0], [-1, 4, 5, -1]),
        tf.slice(x, [2], [1]),
      ];
    });
    expect(getNativeKernelStats().native.Slice).toBe(2);
  });

  it('matches cpu for strided slices with negative strides, masks, new and shrunk axes', async () => {
    resetNativeKernelStats();
    await expectBackendsAgree(() => {
      const x = seededTensor([5, 6, 7, 4], 6);
      return [
        tf.stridedSlice(x, [0, 0, 0, 0], [5, 6, 7, 4], [1, 2, 3, 1]),
        tf.stridedSlice(x, [4, 5, 6, 3], [0, 0, 0, 0], [-1, -2, -1, -1], 0, 0),
        tf.stridedSlice(x, [1, 0, 2, 0], [4, 6, 7, 4], [2, 1, 2, 1], 2, 8),
        tf.stridedSlice(x, [0, 1], [5, 4], [1, 1], 0, 0, 0, 1),
      ];
    });
    expect(getNativeKernelStats().native.StridedSlice).toBe(4);
  });

  it('computes strided slices that shrink axes, which the cpu kernel reads out of range', async () => {
    // The cpu kernel's shrink-axis path indexes past the input, so compare with slice + reshape.
    await tf.setBackend('native');
    const [actual, expected] = tf.tidy(() => {
      const x = seededTensor([5, 6, 7, 4], 6);
      return [
        [
          tf.stridedSlice(x, [2, 1], [3, 5], [1, 2], 0, 0, 0, 0, 1).arraySync(),
          tf.stridedSlice(x, [1, 2, 3], [4, 6, 7], [1, 2, 2], 0, 0, 0, 0, 2).arraySync(),
        ],
        [
          tf.reshape(tf.stridedSlice(x, [2, 1], [3, 5], [1, 2]), [2, 7, 4]).arraySync(),
          tf.reshape(tf.stridedSlice(x, [1, 2, 3], [4, 3, 7], [1, 1, 2]), [3, 2, 4]).arraySync(),
        ],
      ];
    });
    expect(actual).toEqual(expected);
  });

  it('matches cpu for padding with zero and non-zero constants', async () => {
    resetNativeKernelStats();
    await expectBackendsAgree(() => {
      const x = seededTensor([2, 5, 6, 3], 7);
      return [
        tf.pad(x, [
          [0, 0],
          [1, 1],
          [2, 0],
          [0, 0],
        ]),
        tf.pad(
          x,
          [
            [1, 0],
            [0, 2],
            [1, 1],
            [0, 3],
          ],
          1.5,
        ),
      ];
    });
    expect(getNativeKernelStats().native.PadV2).toBe(2);
  });

  it('matches cpu for concatenation along every axis', async () => {
    resetNativeKernelStats();
    await expectBackendsAgree(() =>
      [0, 1, 2, 3].map((axis) => {
        const shapeA = [2, 3, 4, 5];
        const shapeB = [2, 3, 4, 5];
        shapeB[axis] = 2;
        return tf.concat(
          [seededTensor(shapeA, 8), seededTensor(shapeB, 9), seededTensor(shapeA, 10)],
          axis,
        );
      }),
    );
    expect(getNativeKernelStats().native.Concat).toBe(4);
  });

  it('rejects tensors whose non-axis dimensions differ, empty ones included, as cpu does', async () => {
    await tf.setBackend('native');
    const cases: [number[], number[], number][] = [
      [[2, 2], [1, 2], 1],
      [[2, 0, 3], [2, 1, 3], 2],
      [[1, 0, 2], [1, 3, 2], 0],
    ];
    for (const [shapeA, shapeB, axis] of cases) {
      const before = tf.memory().numTensors;
      expect(() => tf.tidy(() => tf.concat([tf.zeros(shapeA), tf.zeros(shapeB)], axis))).toThrow(
        /does not match the shape of the rest/,
      );
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
