import { describeForBackends, expectClose } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import {
  expectWasmGradientsMatchCpu,
  runKernelOn,
  useBackend,
} from './test-utils/backend-gradients.js';
import { convolutionFailures } from './test-utils/convolution-cases.js';
import { kernelPaths, setUpBackends } from './test-utils/set-up-backends.js';
import { UnsupportedConvolutionError } from './unsupported-convolution-error.js';

const tolerance = 1e-4;

for (const { name, options } of kernelPaths) {
  describeForBackends(['wasm'], `createDepthwiseConv2dBackpropFilter (${name})`, () => {
    beforeAll(async () => {
      await setUpBackends(options);
    });

    it.each([1, 2])(
      'matches the cpu backend on every kernel size, stride, padding and odd or even size (channel multiplier %i)',
      async (multiplier) => {
        const failures = await convolutionFailures(multiplier, [1], (testCase, x, filter) =>
          tf.depthwiseConv2d(x, filter, testCase.stride, testCase.pad),
        );
        expect(failures).toEqual([]);
      },
    );

    it('matches the cpu backend on random shapes', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            batch: fc.integer({ min: 1, max: 3 }),
            height: fc.integer({ min: 1, max: 10 }),
            width: fc.integer({ min: 1, max: 10 }),
            channels: fc.integer({ min: 1, max: 13 }),
            kernelSize: fc.constantFrom(1, 3, 5, 7),
            stride: fc.integer({ min: 1, max: 2 }),
            seed: fc.integer({ min: 1, max: 1000 }),
          }),
          async ({ batch, height, width, channels, kernelSize, stride, seed }) => {
            await expectWasmGradientsMatchCpu(
              {
                shapes: [
                  [batch, height, width, channels],
                  [kernelSize, kernelSize, channels, 1],
                ],
                apply: (x, filter) =>
                  tf.depthwiseConv2d(x as tf.Tensor4D, filter as tf.Tensor4D, stride, 'same'),
                differentiate: [1],
                seed,
              },
              { rtol: 0, atol: tolerance },
            );
          },
        ),
        { numRuns: 25, seed: 20240602 },
      );
    });

    it('honours dimRoundingMode like the cpu backend', async () => {
      const run = (backendName: string) =>
        runKernelOn(
          backendName,
          tf.DepthwiseConv2dNativeBackpropFilter,
          { x: { shape: [2, 8, 9, 6], seed: 3 }, dy: { shape: [2, 5, 5, 6], seed: 4 } },
          { strides: 2, pad: 1, dilations: 1, dimRoundingMode: 'ceil', filterShape: [3, 3, 6, 1] },
        );
      const expected = await run('cpu');
      const actual = await run('wasm');
      expectClose(actual.values, expected.values, { rtol: 0, atol: tolerance });
    });

    it('rejects dilations other than 1, naming them', async () => {
      await useBackend('wasm');
      const run = () =>
        tf.tidy(() =>
          tf
            .engine()
            .runKernel(
              tf.DepthwiseConv2dNativeBackpropFilter,
              { x: tf.ones([1, 6, 6, 2]), dy: tf.ones([1, 2, 2, 2]) },
              { strides: 1, pad: 'valid', dilations: 2, filterShape: [3, 3, 2, 1] },
            ),
        );
      expect(run).toThrow(UnsupportedConvolutionError);
      expect(run).toThrow('DepthwiseConv2dNativeBackpropFilter: dilations must be 1, got 2');
    });

    it('leaves no tensors behind', async () => {
      await useBackend('wasm');
      const before = tf.memory().numTensors;
      const gradient = tf.tidy(() => {
        const x = tf.ones([2, 7, 7, 5]) as tf.Tensor4D;
        const loss = (filter: tf.Tensor) =>
          tf.sum(tf.depthwiseConv2d(x, filter as tf.Tensor4D, 2, 'same'));
        return tf.grad(loss)(tf.ones([3, 3, 5, 1]));
      });
      expect(tf.memory().numTensors).toBe(before + 1);
      gradient.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
