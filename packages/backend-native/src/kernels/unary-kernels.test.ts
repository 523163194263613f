import { describeForBackends, seededTensor, seededValues } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getNativeKernelStats, resetNativeKernelStats } from '../index.js';
import { expectBackendsAgree, setUpBackends } from '../test-utils/backends.js';

type Unary = (x: tf.Tensor) => tf.Tensor;

describeForBackends(['native'], 'unaryKernels', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  // [name, op, low, high]: positive-only ranges where tfjs' result is NaN for negatives.
  const ops: [string, Unary, number, number][] = [
    ['Abs', tf.abs, -4, 4],
    ['Elu', tf.elu, -4, 4],
    ['Exp', tf.exp, -10, 10],
    ['LeakyRelu', (x) => tf.leakyRelu(x, 0.15), -4, 4],
    ['Log', tf.log, 0.01, 100],
    ['Neg', tf.neg, -4, 4],
    ['Reciprocal', tf.reciprocal, 0.1, 10],
    ['Relu', tf.relu, -4, 4],
    ['Relu6', tf.relu6, -8, 8],
    ['Rsqrt', tf.rsqrt, 0.01, 100],
    ['Sigmoid', tf.sigmoid, -12, 12],
    ['Softplus', tf.softplus, -20, 20],
    ['Sqrt', tf.sqrt, 0, 100],
    ['Square', tf.square, -4, 4],
    ['Step', (x) => tf.step(x, 0.3), -4, 4],
    ['Tanh', tf.tanh, -6, 6],
  ];
  for (const [name, op, low, high] of ops) {
    it(`matches cpu for ${name} on large and odd-sized tensors`, async () => {
      resetNativeKernelStats();
      await expectBackendsAgree(() => [
        op(seededTensor([64, 33, 17], 1, low, high)),
        op(seededTensor([7], 2, low, high)),
      ]);
      expect(getNativeKernelStats().native[name]).toBe(2);
    });
  }

  // oneDNN's relu and clip are max/min instructions that return the bound for NaN, its exp
  // clamps NaN to inf and its rsqrt maps -inf to 0; tfjs keeps (or gives) NaN.
  it('gives NaN and infinities as the cpu backend does', async () => {
    const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, -3, 7];
    // Large enough to run on several threads through the vectorised loops, NaN at odd places.
    const large = seededValues(64 * 33 * 17, 3, -8, 8);
    for (let index = 5; index < large.length; index += 97) large[index] = Number.NaN;
    resetNativeKernelStats();
    await expectBackendsAgree(() =>
      ops.flatMap(([, op]) => [
        op(tf.tensor1d(special)),
        op(tf.tensor3d(Float32Array.from(large), [64, 33, 17])),
      ]),
    );
    for (const [name] of ops) expect(getNativeKernelStats().native[name]).toBe(2);
  });

  it('keeps int32 inputs on the cpu kernel', async () => {
    resetNativeKernelStats();
    await expectBackendsAgree(() => tf.abs(tf.tensor1d([-3, 2], 'int32')));
    expect(getNativeKernelStats()).toEqual({ native: {}, fallback: { Abs: 1 } });
  });
});
