import { describeForBackends, expectClose } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { expectWasmGradientsMatchCpu, runKernelOn } from './test-utils/backend-gradients.js';
import { convolutionFailures } from './test-utils/convolution-cases.js';
import { kernelPaths, setUpBackends } from './test-utils/set-up-backends.js';

const tolerance = 1e-4;

for (const { name, options } of kernelPaths) {
  describeForBackends(['wasm'], `createConv2dBackpropFilter (${name})`, () => {
    beforeAll(async () => {
      await setUpBackends(options);
    });

    it('matches the cpu backend on every kernel size, stride, padding and odd or even size', async () => {
      const failures = await convolutionFailures(5, [1], (testCase, x, filter) =>
        tf.conv2d(x, filter, testCase.stride, testCase.pad),
      );
      expect(failures).toEqual([]);
    });

    it('matches the cpu backend on random shapes', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            batch: fc.integer({ min: 1, max: 3 }),
            height: fc.integer({ min: 1, max: 10 }),
            width: fc.integer({ min: 1, max: 10 }),
            inChannels: fc.integer({ min: 1, max: 9 }),
            outChannels: fc.integer({ min: 1, max: 9 }),
            kernelSize: fc.integer({ min: 1, max: 5 }),
            stride: fc.integer({ min: 1, max: 3 }),
            seed: fc.integer({ min: 1, max: 1000 }),
          }),
          async ({ batch, height, width, inChannels, outChannels, kernelSize, stride, seed }) => {
            await expectWasmGradientsMatchCpu(
              {
                shapes: [
                  [batch, height, width, inChannels],
                  [kernelSize, kernelSize, inChannels, outChannels],
                ],
                apply: (x, filter) =>
                  tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, stride, 'same'),
                differentiate: [1],
                seed,
              },
              { rtol: 0, atol: tolerance },
            );
          },
        ),
        { numRuns: 25, seed: 20240601 },
      );
    });

    it('matches the cpu backend on a 1x1 filter over a pixel count that is not a multiple of 4', async () => {
      for (const [inChannels, outChannels] of [
        [6, 11],
        [11, 6],
      ] as const) {
        await expectWasmGradientsMatchCpu(
          {
            shapes: [
              [3, 5, 7, inChannels],
              [1, 1, inChannels, outChannels],
            ],
            apply: (x, filter) => tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'valid'),
            differentiate: [1],
            seed: inChannels,
          },
          { rtol: 0, atol: tolerance },
        );
      }
    });

    it('computes NCHW filter gradients like the cpu backend', async () => {
      const run = (backendName: string) =>
        runKernelOn(
          backendName,
          tf.Conv2DBackpropFilter,
          { x: { shape: [2, 3, 9, 8], seed: 1 }, dy: { shape: [2, 4, 5, 4], seed: 2 } },
          { strides: 2, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] },
        );
      const expected = await run('cpu');
      const actual = await run('wasm');
      expect(actual.shape).toEqual([3, 3, 3, 4]);
      expectClose(actual.values, expected.values, { rtol: 0, atol: tolerance });
    });

    it('honours dimRoundingMode like the cpu backend', async () => {
      // 8 rows, 3x3, pad 1, stride 2: 4.5 rounds up to 5 output rows.
      const run = (backendName: string) =>
        runKernelOn(
          backendName,
          tf.Conv2DBackpropFilter,
          { x: { shape: [2, 8, 9, 3], seed: 3 }, dy: { shape: [2, 5, 5, 4], seed: 4 } },
          {
            strides: 2,
            pad: 1,
            dataFormat: 'NHWC',
            dimRoundingMode: 'ceil',
            filterShape: [3, 3, 3, 4],
          },
        );
      const expected = await run('cpu');
      const actual = await run('wasm');
      expectClose(actual.values, expected.values, { rtol: 0, atol: tolerance });
    });

    it('leaves no tensors behind', async () => {
      await runKernelOn(
        'wasm',
        tf.Conv2DBackpropFilter,
        { x: { shape: [2, 6, 6, 3], seed: 1 }, dy: { shape: [2, 3, 3, 4], seed: 2 } },
        { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] },
      );
      const before = tf.memory().numTensors;
      const filter = tf.tidy(() => {
        const x = tf.ones([2, 6, 6, 3]) as tf.Tensor4D;
        const loss = (weights: tf.Tensor) =>
          tf.sum(tf.conv2d(x, weights as tf.Tensor4D, 2, 'same'));
        return tf.grad(loss)(tf.ones([3, 3, 3, 4]));
      });
      expect(tf.memory().numTensors).toBe(before + 1);
      filter.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
