import { describeForBackends, expectClose } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { runKernelOn } from './test-utils/backend-gradients.js';
import { convolutionFailures } from './test-utils/convolution-cases.js';
import { setUpBackends } from './test-utils/set-up-backends.js';

const tolerance = 1e-4;

describeForBackends(['wasm'], 'conv2dBackpropInput', () => {
  beforeAll(async () => {
    await setUpBackends();
  });

  it('replaces the built-in kernel when slow kernels are replaced', () => {
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')?.kernelFunc.name).toBe(
      'conv2dBackpropInput',
    );
  });

  it('matches the cpu backend on every kernel size, stride, padding and odd or even size', async () => {
    const failures = await convolutionFailures(5, [0], (testCase, x, filter) =>
      tf.conv2d(x, filter, testCase.stride, testCase.pad),
    );
    expect(failures).toEqual([]);
  });

  it('matches the cpu backend on an explicit padding wider than the filter', async () => {
    // Pads of 3 and 4 around a 3x3 filter: dy's first and last rows only ever met padding.
    const run = (backendName: string) =>
      runKernelOn(
        backendName,
        tf.Conv2DBackpropInput,
        { dy: { shape: [2, 7, 5, 4], seed: 1 }, filter: { shape: [3, 3, 3, 4], seed: 2 } },
        {
          strides: 2,
          pad: [
            [0, 0],
            [3, 4],
            [4, 1],
            [0, 0],
          ],
          dataFormat: 'NHWC',
          inputShape: [2, 8, 7, 3],
        },
      );
    const expected = await run('cpu');
    const actual = await run('wasm');
    expect(actual.shape).toEqual([2, 8, 7, 3]);
    expectClose(actual.values, expected.values, { rtol: 0, atol: tolerance });
  });

  it('computes NCHW input gradients like the cpu backend', async () => {
    const run = (backendName: string) =>
      runKernelOn(
        backendName,
        tf.Conv2DBackpropInput,
        { dy: { shape: [2, 4, 5, 4], seed: 3 }, filter: { shape: [3, 3, 3, 4], seed: 4 } },
        { strides: 2, pad: 'same', dataFormat: 'NCHW', inputShape: [2, 3, 9, 8] },
      );
    const expected = await run('cpu');
    const actual = await run('wasm');
    expect(actual.shape).toEqual([2, 3, 9, 8]);
    expectClose(actual.values, expected.values, { rtol: 0, atol: tolerance });
  });

  it('computes conv2dTranspose (the same kernel, run forward) like the cpu backend', async () => {
    const run = async (backendName: string) => {
      await tf.setBackend(backendName);
      return tf.tidy(() => {
        const dy = tf.reshape<tf.Rank.R4>(tf.linspace(-1, 1, 2 * 5 * 5 * 4), [2, 5, 5, 4]);
        const filter = tf.reshape<tf.Rank.R4>(tf.linspace(1, -1, 3 * 3 * 6 * 4), [3, 3, 6, 4]);
        return tf.conv2dTranspose(dy, filter, [2, 10, 10, 6], 2, 'same').dataSync() as Float32Array;
      });
    };
    const expected = await run('cpu');
    expectClose(await run('wasm'), expected, { rtol: 0, atol: tolerance });
  });
});
