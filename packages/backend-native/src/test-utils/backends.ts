import { expectClose, registerTestBackend } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { enableNativeBackend, isNativeAvailable, nativeUnavailableReason } from '../index.js';

let gradientsRegistered: Promise<unknown> | undefined;

/** tfjs-core alone registers no gradients; the union bundle registers them in Node. */
export async function setUpBackends(): Promise<void> {
  gradientsRegistered ??= import('@tensorflow/tfjs');
  await gradientsRegistered;
  enableNativeBackend();
}

// `describeForBackends(['native'], ...)` runs where the addon loads, and otherwise skips saying
// why (or fails, under SUPERNAS_REQUIRE=native).
registerTestBackend({
  name: 'native',
  unavailableReason: () =>
    isNativeAvailable() ? undefined : (nativeUnavailableReason() ?? 'addon unavailable'),
  setUp: setUpBackends,
});

type Compute = () => tf.Tensor | tf.Tensor[] | tf.NamedTensorMap;

async function runOn(backendName: string, compute: Compute) {
  await tf.setBackend(backendName);
  const before = tf.memory().numTensors;
  const outputs = tf.tidy(() => {
    const result = compute();
    return result instanceof tf.Tensor
      ? [result]
      : Array.isArray(result)
        ? result
        : Object.values(result);
  });
  const values = outputs.map((tensor) => ({
    shape: tensor.shape,
    dtype: tensor.dtype,
    values: Array.from(tensor.dataSync() as ArrayLike<number>),
  }));
  tf.dispose(outputs);
  expect(tf.memory().numTensors).toBe(before);
  return values;
}

/**
 * Runs `compute` on the cpu backend and on `native` and expects the same shapes and dtypes and
 * values within `expectClose`'s `rtol = tolerance` and an absolute tolerance of `tolerance`
 * times the root mean square of the output's finite values (at least `floor`): sums of many products cancel, so
 * values near zero are compared against the output's scale rather than against themselves.
 */
export async function expectBackendsAgree(
  compute: Compute,
  tolerance = 1e-4,
  floor = 1e-12,
): Promise<void> {
  const expected = await runOn('cpu', compute);
  const actual = await runOn('native', compute);
  expect(actual.length).toBe(expected.length);
  expected.forEach((reference, index) => {
    const result = actual[index];
    expect(result?.shape).toEqual(reference.shape);
    expect(result?.dtype).toBe(reference.dtype);
    // NaN and infinities (compared exactly by expectClose) would make the scale NaN.
    let sumOfSquares = 0;
    let finiteCount = 0;
    for (const value of reference.values) {
      if (!Number.isFinite(value)) continue;
      sumOfSquares += value * value;
      finiteCount++;
    }
    const rms = Math.sqrt(sumOfSquares / Math.max(1, finiteCount));
    expectClose(
      result?.values ?? [],
      reference.values,
      { rtol: tolerance, atol: tolerance * Math.max(rms, floor) },
      `output ${index} of shape [${reference.shape}], native against cpu`,
    );
  });
}
