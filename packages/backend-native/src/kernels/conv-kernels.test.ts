import { describeForBackends, seededTensor, seededValues } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getNativeKernelStats, resetNativeKernelStats } from '../index.js';
import { expectBackendsAgree, setUpBackends } from '../test-utils/backends.js';

type Padding = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  stride: number;
  pad: Padding;
}

/** Varied shapes, strides 1-2 and paddings 'same', 'valid' and explicit, from a fixed seed. */
function convCases(count: number, seed: number): ConvCase[] {
  const draws = seededValues(count * 8, seed, 0, 1);
  const pick = (index: number, options: readonly number[]) =>
    options[Math.floor((draws[index] ?? 0) * options.length)] ?? options[0] ?? 1;
  return Array.from({ length: count }, (_, i) => {
    const kernelSize = pick(i * 8, [1, 3, 5]);
    const padChoice = pick(i * 8 + 1, [0, 1, 2]);
    const explicit = pick(i * 8 + 2, [0, 1, 2]);
    const pad: Padding =
      padChoice === 0
        ? 'same'
        : padChoice === 1
          ? 'valid'
          : [
              [0, 0],
              [explicit, kernelSize >> 1],
              [kernelSize >> 1, explicit],
              [0, 0],
            ];
    return {
      batch: pick(i * 8 + 3, [1, 2, 3]),
      height: pick(i * 8 + 4, [5, 7, 8, 11]),
      width: pick(i * 8 + 5, [5, 6, 9]),
      inChannels: pick(i * 8 + 6, [1, 3, 4, 8]),
      outChannels: pick(i * 8 + 7, [1, 2, 5, 16]),
      kernelSize,
      stride: 1 + (i % 2),
      pad,
    };
  });
}

function describeCase(c: ConvCase): string {
  return `${c.batch}x${c.height}x${c.width}x${c.inChannels}, k${c.kernelSize} s${c.stride} pad ${JSON.stringify(c.pad)}`;
}

describeForBackends(['native'], 'convKernels', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  for (const c of convCases(10, 1)) {
    it(`matches cpu for conv2d and both gradients at ${describeCase(c)} -> ${c.outChannels}`, async () => {
      resetNativeKernelStats();
      await expectBackendsAgree(() => {
        const x = seededTensor([c.batch, c.height, c.width, c.inChannels], 1) as tf.Tensor4D;
        const filter = seededTensor(
          [c.kernelSize, c.kernelSize, c.inChannels, c.outChannels],
          2,
        ) as tf.Tensor4D;
        const y = tf.conv2d(x, filter, c.stride, c.pad);
        const upstream = seededTensor(y.shape, 3);
        const [dx, dFilter] = tf.grads((input: tf.Tensor, weights: tf.Tensor) =>
          tf.sum(
            tf.mul(
              tf.conv2d(input as tf.Tensor4D, weights as tf.Tensor4D, c.stride, c.pad),
              upstream,
            ),
          ),
        )([x, filter]);
        return [y, dx as tf.Tensor, dFilter as tf.Tensor];
      });
      const { native, fallback } = getNativeKernelStats();
      expect(native.Conv2D).toBeGreaterThan(0);
      expect(native.Conv2DBackpropInput).toBeGreaterThan(0);
      expect(native.Conv2DBackpropFilter).toBeGreaterThan(0);
      expect(fallback).toEqual({});
    });
  }

  for (const c of convCases(10, 2)) {
    const multiplier = 1 + (c.outChannels % 2);
    it(`matches cpu for depthwise conv and both gradients at ${describeCase(c)} x${multiplier}`, async () => {
      resetNativeKernelStats();
      await expectBackendsAgree(() => {
        const x = seededTensor([c.batch, c.height, c.width, c.inChannels], 4) as tf.Tensor4D;
        const filter = seededTensor(
          [c.kernelSize, c.kernelSize, c.inChannels, multiplier],
          5,
        ) as tf.Tensor4D;
        const strides: [number, number] = [c.stride, c.stride];
        const y = tf.depthwiseConv2d(x, filter, strides, c.pad);
        const upstream = seededTensor(y.shape, 6);
        const [dx, dFilter] = tf.grads((input: tf.Tensor, weights: tf.Tensor) =>
          tf.sum(
            tf.mul(
              tf.depthwiseConv2d(input as tf.Tensor4D, weights as tf.Tensor4D, strides, c.pad),
              upstream,
            ),
          ),
        )([x, filter]);
        return [y, dx as tf.Tensor, dFilter as tf.Tensor];
      });
      const { native, fallback } = getNativeKernelStats();
      expect(native.DepthwiseConv2dNative).toBeGreaterThan(0);
      expect(native.DepthwiseConv2dNativeBackpropInput).toBeGreaterThan(0);
      expect(native.DepthwiseConv2dNativeBackpropFilter).toBeGreaterThan(0);
      expect(fallback).toEqual({});
    });
  }

  it('matches cpu for dilated regular and depthwise convolutions', async () => {
    await expectBackendsAgree(() => {
      const x = seededTensor([2, 11, 10, 3], 7) as tf.Tensor4D;
      const filter = seededTensor([3, 3, 3, 4], 8) as tf.Tensor4D;
      const depthwiseFilter = seededTensor([3, 3, 3, 2], 9) as tf.Tensor4D;
      return [
        tf.conv2d(x, filter, 1, 'same', 'NHWC', 2),
        tf.conv2d(x, filter, 1, 'valid', 'NHWC', [2, 3]),
        tf.depthwiseConv2d(x, depthwiseFilter, 1, 'same', 'NHWC', 2),
      ];
    });
  });

  const activations = ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid'] as const;
  for (const activation of activations) {
    it(`matches cpu for fused conv2d and depthwise conv with bias and ${activation}`, async () => {
      resetNativeKernelStats();
      await expectBackendsAgree(() => {
        const x = seededTensor([2, 9, 9, 4], 10, -3, 3) as tf.Tensor4D;
        const filter = seededTensor([3, 3, 4, 6], 11) as tf.Tensor4D;
        const depthwiseFilter = seededTensor([3, 3, 4, 1], 12) as tf.Tensor4D;
        return [
          tf.fused.conv2d({
            x,
            filter,
            strides: 2,
            pad: 'same',
            bias: seededTensor([6], 13),
            activation,
            leakyreluAlpha: 0.3,
          }),
          tf.fused.depthwiseConv2d({
            x,
            filter: depthwiseFilter,
            strides: 1,
            pad: 'valid',
            bias: seededTensor([4], 14),
            activation,
            leakyreluAlpha: 0.1,
          }),
          tf.fused.conv2d({
            x,
            filter,
            strides: 1,
            pad: 'valid',
            bias: tf.scalar(0.5),
            activation,
            leakyreluAlpha: 0.2,
          }),
        ];
      });
      const { native, fallback } = getNativeKernelStats();
      expect(native.FusedConv2D).toBe(2);
      expect(native.FusedDepthwiseConv2D).toBe(1);
      expect(fallback).toEqual({});
    });
  }

  // As oneDNN post-ops, relu and clip (relu6) turn NaN into 0; tfjs' cpu kernels keep NaN.
  for (const activation of activations) {
    it(`keeps NaN and infinities through fused convolutions with ${activation} as cpu does`, async () => {
      const values = seededValues([2, 9, 9, 4], 17, -3, 3);
      for (let index = 3; index < values.length; index += 29) values[index] = Number.NaN;
      values[10] = Number.POSITIVE_INFINITY;
      values[50] = Number.NEGATIVE_INFINITY;
      resetNativeKernelStats();
      await expectBackendsAgree(() => {
        const x = tf.tensor4d(Float32Array.from(values), [2, 9, 9, 4]);
        return [
          tf.fused.conv2d({
            x,
            filter: seededTensor([1, 1, 4, 6], 18) as tf.Tensor4D,
            strides: 1,
            pad: 'valid',
            activation,
            leakyreluAlpha: 0.3,
          }),
          tf.fused.depthwiseConv2d({
            x,
            filter: seededTensor([3, 3, 4, 1], 19) as tf.Tensor4D,
            strides: 1,
            pad: 'same',
            bias: seededTensor([4], 20),
            activation,
            leakyreluAlpha: 0.1,
          }),
        ];
      });
      const { native } = getNativeKernelStats();
      expect(native.FusedConv2D).toBe(1);
      expect(native.FusedDepthwiseConv2D).toBe(1);
    });
  }

  it('reads null dilations as 1, as the cpu kernels do', async () => {
    resetNativeKernelStats();
    await expectBackendsAgree(() => {
      const x = seededTensor([2, 7, 6, 3], 21) as tf.Tensor4D;
      const filter = seededTensor([3, 3, 3, 2], 22) as tf.Tensor4D;
      // tfjs' own specs pass null; the op forwards it to the kernel unchanged.
      const dilations = null as unknown as number;
      return [
        tf.depthwiseConv2d(x, filter, 2, 'same', 'NHWC', dilations),
        tf.fused.depthwiseConv2d({ x, filter, strides: 1, pad: 'valid', dilations }),
      ];
    });
    const { native, fallback } = getNativeKernelStats();
    expect(native.DepthwiseConv2dNative).toBe(1);
    expect(native.FusedDepthwiseConv2D).toBe(1);
    expect(fallback).toEqual({});
  });

  it('leaves NCHW and prelu to the cpu kernels, with the same results', async () => {
    resetNativeKernelStats();
    await expectBackendsAgree(() => {
      const x = seededTensor([1, 6, 6, 2], 15) as tf.Tensor4D;
      const filter = seededTensor([3, 3, 2, 3], 16) as tf.Tensor4D;
      return tf.fused.conv2d({
        x,
        filter,
        strides: 1,
        pad: 'same',
        activation: 'prelu',
        preluActivationWeights: tf.scalar(0.1),
      });
    });
    expect(getNativeKernelStats().fallback).toEqual({ FusedConv2D: 1 });
  });
});
