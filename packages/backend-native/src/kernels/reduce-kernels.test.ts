import { describeForBackends, seededTensor } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getNativeKernelStats, resetNativeKernelStats } from '../index.js';
import { expectBackendsAgree, setUpBackends } from '../test-utils/backends.js';

type Reduce = (x: tf.Tensor, axis?: number | number[], keepDims?: boolean) => tf.Tensor;

describeForBackends(['native'], 'reduceKernels', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  const ops: [string, Reduce][] = [
    ['Sum', tf.sum],
    ['Mean', tf.mean],
    ['Max', tf.max],
    ['Min', tf.min],
    ['Prod', (x, axis, keepDims) => tf.prod(tf.add(tf.mul(x, 0.05), 1), axis, keepDims)],
  ];
  const axesCases: (number | number[] | undefined)[] = [
    undefined,
    [0, 1, 2],
    [1, 2],
    3,
    -1,
    0,
    [0, 2],
    [1, 3],
    [0, 1, 2, 3],
    [],
  ];
  for (const [name, op] of ops) {
    it(`matches cpu for ${name} over many axis sets, with and without keepDims`, async () => {
      resetNativeKernelStats();
      await expectBackendsAgree(() => {
        const x = seededTensor([16, 9, 7, 12], 1, -2, 2);
        return axesCases.flatMap((axes) => [op(x, axes, false), op(x, axes, true)]);
      });
      expect(getNativeKernelStats().native[name]).toBeGreaterThanOrEqual(axesCases.length * 2);
    });
  }

  it('matches cpu for batch statistics of a large NHWC activation', async () => {
    await expectBackendsAgree(() => {
      const { mean, variance } = tf.moments(seededTensor([64, 16, 16, 24], 2, -3, 5), [0, 1, 2]);
      return [mean, variance];
    });
  });
});
