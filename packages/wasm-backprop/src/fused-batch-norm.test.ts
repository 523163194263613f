import { describeForBackends, expectClose } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { expectWasmGradientsMatchCpu, runKernelOn } from './test-utils/backend-gradients.js';
import { setUpBackends } from './test-utils/set-up-backends.js';

describeForBackends(['wasm'], 'fusedBatchNorm', () => {
  beforeAll(async () => {
    await setUpBackends();
  });

  it.each([
    { withScale: true, withOffset: true },
    { withScale: false, withOffset: true },
    { withScale: true, withOffset: false },
    { withScale: false, withOffset: false },
  ])(
    'normalizes like the cpu backend (scale $withScale, offset $withOffset)',
    async ({ withScale, withOffset }) => {
      const channels = 6;
      const run = (backendName: string) =>
        runKernelOn(
          backendName,
          tf.FusedBatchNorm,
          {
            x: { shape: [3, 4, 5, channels], seed: 1 },
            mean: { shape: [channels], seed: 2 },
            // Seeded values lie in [-1, 1); the epsilon of 1.5 keeps variance + epsilon positive.
            variance: { shape: [channels], seed: 3 },
            ...(withScale ? { scale: { shape: [channels], seed: 4 } } : {}),
            ...(withOffset ? { offset: { shape: [channels], seed: 5 } } : {}),
          },
          { varianceEpsilon: 1.5 },
        );
      const expected = await run('cpu');
      const actual = await run('wasm');
      expect(actual.shape).toEqual([3, 4, 5, channels]);
      expectClose(actual.values, expected.values, { rtol: 0, atol: 1e-5 });
    },
  );

  it('gives training batch norm the cpu backend gradients', async () => {
    await expectWasmGradientsMatchCpu(
      {
        shapes: [[4, 5, 5, 8], [8], [8]],
        apply: (x, gamma, beta) => {
          const { mean, variance } = tf.moments(x, [0, 1, 2]);
          return tf.batchNorm(x, mean, variance, beta, gamma, 1e-3);
        },
        seed: 11,
      },
      { rtol: 0, atol: 1e-4 },
    );
  });
});
