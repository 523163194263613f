import { describeForBackends, seededTensor } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getNativeKernelStats, resetNativeKernelStats } from '../kernel-stats.js';
import { expectBackendsAgree, setUpBackends } from '../test-utils/backends.js';
import { fusedKernelNames } from './fused-kernels.js';

// As @supernas/elastic's pointwiseConv runs them: the fused kernels where registered (native),
// reshapes and a matmul elsewhere (the cpu reference).
const fusedPointwiseConv = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, weight, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([x, weight]);
  return {
    value: tf.engine().runKernel(fusedKernelNames.pointwiseConv, { x, weight }) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.engine().runKernel(fusedKernelNames.pointwiseConvGrad, {
        dy,
        x: saved[0]!,
        weight: saved[1]!,
      }) as tf.Tensor[],
  };
});

function pointwiseConv(x: tf.Tensor4D, weight: tf.Tensor): tf.Tensor {
  if (tf.getKernel(fusedKernelNames.pointwiseConv, tf.getBackend()) !== undefined) {
    return fusedPointwiseConv(x, weight);
  }
  const [batch, height, width, channels] = x.shape;
  const outChannels = weight.shape[weight.rank - 1] as number;
  const rows = tf.reshape(x, [batch * height * width, channels]);
  const product = tf.matMul(rows, tf.reshape(weight, [channels, outChannels]));
  return tf.reshape(product, [batch, height, width, outChannels]);
}

describeForBackends(['native'], 'SupernasPointwiseConv', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  for (const [shape, weightShape] of [
    [
      [8, 7, 7, 24],
      [1, 1, 24, 144],
    ],
    [
      [2, 14, 14, 96],
      [96, 16],
    ],
    [
      [1, 1, 1, 5],
      [1, 1, 5, 3],
    ],
  ] as const) {
    it(`matches reshape + matMul on cpu for x [${shape}], weight [${weightShape}]`, async () => {
      resetNativeKernelStats();
      await expectBackendsAgree(() => {
        const x = seededTensor([...shape], 1) as tf.Tensor4D;
        const weight = seededTensor([...weightShape], 2);
        const upstream = seededTensor([...shape.slice(0, 3), weightShape.at(-1)!], 3);
        const gradients = tf.grads((input: tf.Tensor, kernel: tf.Tensor) =>
          tf.sum(tf.mul(pointwiseConv(input as tf.Tensor4D, kernel), upstream)),
        )([x, weight]);
        return [pointwiseConv(x, weight), ...gradients];
      });
      const { native } = getNativeKernelStats();
      expect(native.SupernasPointwiseConv).toBe(2);
      expect(native.SupernasPointwiseConvGrad).toBe(1);
    });
  }
});
