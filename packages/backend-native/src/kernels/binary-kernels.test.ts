import { describeForBackends, seededTensor } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getNativeKernelStats, resetNativeKernelStats } from '../index.js';
import { expectBackendsAgree, setUpBackends } from '../test-utils/backends.js';

type Binary = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

describeForBackends(['native'], 'binaryKernels', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  const ops: [string, Binary][] = [
    ['Add', tf.add],
    ['Sub', tf.sub],
    ['Multiply', tf.mul],
    ['RealDiv', tf.div],
    ['SquaredDifference', tf.squaredDifference],
    ['Maximum', tf.maximum],
    ['Minimum', tf.minimum],
    ['Greater', tf.greater],
    ['GreaterEqual', tf.greaterEqual],
    ['Less', tf.less],
    ['LessEqual', tf.lessEqual],
    ['Equal', tf.equal],
    ['NotEqual', tf.notEqual],
  ];
  const shapes: [number[], number[]][] = [
    [
      [8, 9, 10, 12],
      [8, 9, 10, 12],
    ],
    [[8, 9, 10, 12], [12]],
    [[12], [8, 9, 10, 12]],
    [
      [8, 9, 10, 12],
      [8, 1, 1, 12],
    ],
    [
      [8, 1, 1, 12],
      [8, 9, 10, 12],
    ],
    [
      [8, 9, 10, 1],
      [1, 1, 1, 12],
    ],
    [
      [5, 1, 7],
      [1, 6, 1],
    ],
    [[64, 16, 16, 24], []],
    [[], [3, 4]],
    [[], []],
  ];
  for (const [name, op] of ops) {
    it(`matches cpu for ${name} across broadcast patterns`, async () => {
      resetNativeKernelStats();
      await expectBackendsAgree(() =>
        shapes.map(([aShape, bShape], i) => {
          // Equal/NotEqual need some exact ties: round to a coarse grid.
          const a = tf.round(tf.mul(seededTensor(aShape, 2 * i + 1, 0.5, 4), 4));
          const b = tf.round(tf.mul(seededTensor(bShape, 2 * i + 2, 0.5, 4), 4));
          return op(a, b);
        }),
      );
      expect(getNativeKernelStats().native[name]).toBeGreaterThanOrEqual(shapes.length);
      expect(getNativeKernelStats().fallback).toEqual({});
    });
  }

  it('matches cpu for AddN of several tensors (gradient accumulation)', async () => {
    await expectBackendsAgree(() =>
      tf.addN([seededTensor([33, 65], 1), seededTensor([33, 65], 2), seededTensor([33, 65], 3)]),
    );
  });

  it('matches cpu for gradients of broadcasting ops, which reduce back to the input shapes', async () => {
    await expectBackendsAgree(() => {
      const a = seededTensor([4, 6, 6, 8], 4);
      const b = seededTensor([8], 5, 0.5, 2);
      const c = seededTensor([4, 1, 1, 8], 6);
      // (tfjs' SquaredDifference gradient does not reduce broadcast inputs, so it gets equal shapes.)
      const [da, db, dc] = tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
        tf.sum(tf.mul(tf.div(tf.sub(x, y), y), tf.squaredDifference(tf.mul(x, z), x))),
      )([a, b, c]);
      return [da as tf.Tensor, db as tf.Tensor, dc as tf.Tensor];
    });
  });
});
