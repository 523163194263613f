import { describeForBackends, expectClose, seededTensor } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { batchNormSwishTraining } from '../fused-ops.js';
import { getNativeKernelStats, resetNativeKernelStats } from '../kernel-stats.js';
import { loadAddon } from '../load-addon.js';
import { expectBackendsAgree, setUpBackends } from '../test-utils/backends.js';

describeForBackends(['native'], 'batchNormSwishTraining', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  for (const shape of [
    [16, 9, 9, 12],
    [64, 7, 7, 144],
    [3, 5, 5, 7],
    [200, 24],
  ]) {
    it(`matches swish(batch norm) on cpu, forward and gradients, for [${shape}]`, async () => {
      resetNativeKernelStats();
      const channels = shape[shape.length - 1] ?? 1;
      await expectBackendsAgree(() => {
        // A large mean checks the one-pass variance; beta moves values into swish's bend.
        const x = tf.add(seededTensor(shape, 1, -2, 3), 50);
        const gamma = seededTensor([channels], 2, 0.5, 1.5) as tf.Tensor1D;
        const beta = seededTensor([channels], 3, -2, 2) as tf.Tensor1D;
        const upstream = seededTensor(shape, 4);
        const y = batchNormSwishTraining(x, gamma, beta, 1e-3);
        const gradients = tf.grads((input: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) =>
          tf.sum(
            tf.mul(
              batchNormSwishTraining(input, scale as tf.Tensor1D, offset as tf.Tensor1D, 1e-3),
              upstream,
            ),
          ),
        )([x, gamma, beta]);
        return [y, ...gradients];
      }, 1e-4);
      const { native } = getNativeKernelStats();
      expect(native.SupernasBatchNormSwishTraining).toBe(2);
      expect(native.SupernasBatchNormSwishTrainingGrad).toBe(1);
    });
  }

  it('keeps NaN and gives swish(-inf) = NaN as the cpu backend', async () => {
    await expectBackendsAgree(() => {
      const x = tf.tensor2d([1, Number.NaN, 2, 0, 3, Number.POSITIVE_INFINITY], [3, 2]);
      return batchNormSwishTraining(x, tf.ones([2]), tf.zeros([2]));
    });
    await tf.setBackend('native');
    const values = tf.tidy(() =>
      batchNormSwishTraining(
        tf.tensor2d([0, 1, 2, 3], [4, 1]),
        tf.tensor1d([Number.POSITIVE_INFINITY]),
        tf.zeros([1]),
      ).arraySync(),
    ) as number[][];
    // x below the mean times an infinite gamma is -inf, whose swish is -inf * 0.
    expect(Number.isNaN(values[0]?.[0])).toBe(true);
    expect(values[3]?.[0]).toBe(Number.POSITIVE_INFINITY);
  });

  it('runs the two ops for a gamma that is not per channel', async () => {
    resetNativeKernelStats();
    await expectBackendsAgree(() =>
      batchNormSwishTraining(
        seededTensor([4, 3, 3, 6], 5),
        tf.scalar(2) as unknown as tf.Tensor1D,
        tf.zeros([6]),
      ),
    );
    expect(getNativeKernelStats().native.SupernasBatchNormSwishTraining).toBeUndefined();
  });
});

describeForBackends(['native'], 'DepthwiseConv2dNativeBackpropFilter', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  for (const [shape, kernelSize, stride, padding] of [
    [[16, 12, 12, 96], 3, 1, 1],
    [[4, 13, 13, 40], 5, 2, 2],
    [[2, 9, 9, 7], 3, 2, 1],
    [[3, 8, 8, 16], 5, 1, 'same'],
    [[2, 7, 7, 5], 3, 2, 'valid'],
  ] as const) {
    it(`matches the cpu kernel for [${shape}] k${kernelSize} s${stride} pad ${padding}`, async () => {
      resetNativeKernelStats();
      const channels = shape[3];
      await expectBackendsAgree(() => {
        const x = seededTensor([...shape], 1) as tf.Tensor4D;
        const filter = seededTensor([kernelSize, kernelSize, channels, 1], 2) as tf.Tensor4D;
        const pad =
          typeof padding === 'number'
            ? ([
                [0, 0],
                [padding, padding],
                [padding, padding],
                [0, 0],
              ] as [[number, number], [number, number], [number, number], [number, number]])
            : padding;
        const forward = (weights: tf.Tensor) =>
          tf.depthwiseConv2d(x, weights as tf.Tensor4D, stride, pad);
        const upstream = seededTensor(forward(filter).shape, 3);
        return tf.grad((weights: tf.Tensor) => tf.sum(tf.mul(forward(weights), upstream)))(filter);
      });
      expect(getNativeKernelStats().native.DepthwiseConv2dNativeBackpropFilter).toBe(1);
    });
  }
});

describeForBackends(['native'], 'depthwiseBackwardWeights (addon)', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  // The kernel above takes this loop only where oneDNN has no depthwise implementation (5x5
  // here); 3x3 with stride and asymmetric padding reaches it only directly.
  it('equals the cpu gradient for a 3x3 kernel at stride 2 with asymmetric padding', async () => {
    const addon = loadAddon();
    if (!('addon' in addon)) throw new Error(addon.reason);
    await tf.setBackend('cpu');
    const [n, h, w, c] = [3, 10, 9, 24];
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [1, 0],
      [0, 1],
      [0, 0],
    ];
    const { x, dy, expected, outShape } = tf.tidy(() => {
      const input = seededTensor([n, h, w, c], 1) as tf.Tensor4D;
      const filter = seededTensor([3, 3, c, 1], 2) as tf.Tensor4D;
      const forward = (weights: tf.Tensor) =>
        tf.depthwiseConv2d(input, weights as tf.Tensor4D, 2, pad);
      const upstream = seededTensor(forward(filter).shape, 3);
      const gradient = tf.grad((weights: tf.Tensor) => tf.sum(tf.mul(forward(weights), upstream)))(
        filter,
      );
      return {
        x: input.dataSync() as Float32Array,
        dy: upstream.dataSync() as Float32Array,
        expected: gradient.dataSync() as Float32Array,
        outShape: upstream.shape,
      };
    });
    const [, outHeight, outWidth] = outShape;
    const dims = [n, h, w, c, outHeight, outWidth, c, 3, 3, 2, 2, 1, 1, 1, 0, 0, 1, 1];
    const actual = new Float32Array(9 * c);
    addon.addon.depthwiseBackwardWeights(x, dy, actual, dims as number[]);
    expectClose(Array.from(actual), Array.from(expected), { rtol: 1e-4, atol: 1e-4 });
  });
});
