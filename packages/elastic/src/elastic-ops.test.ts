import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  averagePool,
  depthwiseConv,
  pointwiseConv,
  sliceWeight,
  spatialConv,
} from './elastic-ops.js';
import { maxAbsDifference, randomBatch, useCpu } from './test-utils/elastic-fixtures.js';

beforeAll(useCpu);

describe('sliceWeight', () => {
  it('returns the weight itself when the slice is the whole tensor', () => {
    const weight = tf.ones([2, 3]);
    expect(sliceWeight(weight, [2, 3])).toBe(weight);
    const part = sliceWeight(weight, [1, 2]);
    expect(part.shape).toEqual([1, 2]);
    tf.dispose([weight, part]);
  });

  it('crops from the given start', () => {
    const weight = tf.tensor2d([0, 1, 2, 3, 4, 5, 6, 7, 8], [3, 3]);
    const centre = sliceWeight(weight, [1, 1], [1, 1]);
    expect(Array.from(centre.dataSync())).toEqual([4]);
    tf.dispose([weight, centre]);
  });
});

describe('pointwiseConv', () => {
  it('equals a 1x1 conv2d', () => {
    const difference = tf.tidy(() => {
      const x = randomBatch([2, 3, 3, 4], 1);
      const weight = tf.randomNormal([1, 1, 4, 5], 0, 1, 'float32', 2) as tf.Tensor4D;
      return maxAbsDifference(pointwiseConv(x, weight), tf.conv2d(x, weight, 1, 'valid'));
    });
    expect(difference).toBeLessThan(1e-5);
  });
});

describe('spatialConv', () => {
  it('pads symmetrically as PyTorch at stride 2 (TF "same" would pad only after)', () => {
    // A 4x4 ramp, 3x3 box filter, stride 2, padding 1: windows centred on rows/cols 0 and 2.
    const result = tf.tidy(() => {
      const x = tf.tensor4d(
        Array.from({ length: 16 }, (_, i) => i),
        [1, 4, 4, 1],
      );
      return Array.from(spatialConv(x, tf.ones([3, 3, 1, 1]) as tf.Tensor4D, 2, 1).dataSync());
    });
    // Top-left window covers rows 0-1, cols 0-1: 0 + 1 + 4 + 5; TF 'same' would centre on 1 and 3.
    expect(result).toEqual([10, 24, 51, 90]);
  });
});

describe('depthwiseConv', () => {
  it('filters each channel with its own kernel and symmetric padding', () => {
    const result = tf.tidy(() => {
      const x = tf.ones([1, 3, 3, 2]) as tf.Tensor4D;
      const weight = tf.reshape(
        tf.stack([tf.ones([3, 3]), tf.fill([3, 3], 2)], 2),
        [3, 3, 2, 1],
      ) as tf.Tensor4D;
      return Array.from(depthwiseConv(x, weight, 1, 1).dataSync());
    });
    // Corner sees 4 ones, edge 6, centre 9; channel 1 doubles.
    expect(result.filter((_, i) => i % 2 === 0)).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4]);
    expect(result.filter((_, i) => i % 2 === 1)).toEqual([8, 12, 8, 12, 18, 12, 8, 12, 8]);
  });
});

describe('averagePool', () => {
  it('counts the padding zeros in the average like PyTorch count_include_pad', () => {
    const result = tf.tidy(() => {
      const x = tf.ones([1, 3, 3, 1]) as tf.Tensor4D;
      return Array.from(averagePool(x, 2, 1).dataSync());
    });
    expect(result).toEqual([0.25, 0.5, 0.5, 1]);
  });
});
