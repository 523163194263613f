import { describeForBackends, expectClose } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { runKernelOn, useBackend } from './test-utils/backend-gradients.js';
import { convolutionFailures } from './test-utils/convolution-cases.js';
import { kernelPaths, setUpBackends } from './test-utils/set-up-backends.js';

const tolerance = 1e-4;

for (const { name, options } of kernelPaths) {
  describeForBackends(['wasm'], `createDepthwiseConv2dBackpropInput (${name})`, () => {
    beforeAll(async () => {
      await setUpBackends(options);
    });

    it.each([1, 2])(
      'matches the cpu backend on every kernel size, stride, padding and odd or even size (channel multiplier %i)',
      async (multiplier) => {
        const failures = await convolutionFailures(multiplier, [0], (testCase, x, filter) =>
          tf.depthwiseConv2d(x, filter, testCase.stride, testCase.pad),
        );
        expect(failures).toEqual([]);
      },
    );

    it('matches the cpu backend on an explicit padding wider than the filter', async () => {
      const run = (backendName: string) =>
        runKernelOn(
          backendName,
          tf.DepthwiseConv2dNativeBackpropInput,
          { dy: { shape: [2, 7, 5, 6], seed: 1 }, filter: { shape: [3, 3, 6, 1], seed: 2 } },
          {
            strides: 2,
            pad: [
              [0, 0],
              [3, 4],
              [4, 1],
              [0, 0],
            ],
            dilations: 1,
            inputShape: [2, 8, 7, 6],
          },
        );
      const expected = await run('cpu');
      const actual = await run('wasm');
      expect(actual.shape).toEqual([2, 8, 7, 6]);
      expectClose(actual.values, expected.values, { rtol: 0, atol: tolerance });
    });

    it('honours dimRoundingMode like the cpu backend', async () => {
      const run = (backendName: string) =>
        runKernelOn(
          backendName,
          tf.DepthwiseConv2dNativeBackpropInput,
          { dy: { shape: [2, 5, 5, 6], seed: 5 }, filter: { shape: [3, 3, 6, 1], seed: 6 } },
          { strides: 2, pad: 1, dilations: 1, dimRoundingMode: 'ceil', inputShape: [2, 8, 9, 6] },
        );
      const expected = await run('cpu');
      const actual = await run('wasm');
      expectClose(actual.values, expected.values, { rtol: 0, atol: tolerance });
    });

    it('leaves no tensors behind', async () => {
      await useBackend('wasm');
      const before = tf.memory().numTensors;
      const gradient = tf.tidy(() => {
        const filter = tf.ones([3, 3, 5, 2]) as tf.Tensor4D;
        const loss = (x: tf.Tensor) =>
          tf.sum(tf.depthwiseConv2d(x as tf.Tensor4D, filter, 2, 'same'));
        return tf.grad(loss)(tf.ones([2, 7, 7, 5]));
      });
      expect(tf.memory().numTensors).toBe(before + 1);
      gradient.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
