import * as tf from '@tensorflow/tfjs-core';
import { describe, expect } from 'vitest';
import { enableNativeBackend, isNativeAvailable, nativeUnavailableReason } from '../index.js';

/** `describe` that runs only where the addon loads, and otherwise says why it was skipped. */
export function describeNative(name: string, body: () => void): void {
  if (isNativeAvailable()) {
    describe(name, body);
  } else {
    describe.skip(`${name} (skipped: ${nativeUnavailableReason() ?? 'addon unavailable'})`, body);
  }
}

let gradientsRegistered: Promise<unknown> | undefined;

/** tfjs-core alone registers no gradients; the union bundle registers them in Node. */
export async function setUpBackends(): Promise<void> {
  gradientsRegistered ??= import('@tensorflow/tfjs');
  await gradientsRegistered;
  enableNativeBackend();
}

/** Deterministic values in [low, high) (a small LCG; tests never use Math.random). */
export function seededValues(count: number, seed: number, low = -1, high = 1): Float32Array {
  const values = new Float32Array(count);
  let state = (seed * 2654435761 + 12345) >>> 0;
  for (let i = 0; i < count; i += 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = low + ((state >>> 8) / 16777216) * (high - low);
  }
  return values;
}

export function seededTensor(shape: number[], seed: number, low = -1, high = 1): tf.Tensor {
  return tf.tensor(
    seededValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
      low,
      high,
    ),
    shape,
  );
}

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
 * values within `tolerance`, relative to each value or, for values near zero, to the output's
 * root mean square (sums of many products cancel).
 */
/**
 * `floor` bounds the scale errors are relative to from below: gradients that are zero up to
 * rounding (1e-7 against 0) are compared in absolute terms rather than relative to themselves.
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
    const referenceValues = reference.values;
    const resultValues = result?.values ?? [];
    let sumOfSquares = 0;
    for (const value of referenceValues) sumOfSquares += value * value;
    const rms = Math.sqrt(sumOfSquares / Math.max(1, referenceValues.length));
    let worst = 0;
    let worstIndex = -1;
    referenceValues.forEach((value, i) => {
      const other = resultValues[i] ?? Number.NaN;
      if (Number.isNaN(value) && Number.isNaN(other)) return;
      const error =
        Number.isNaN(value) || Number.isNaN(other)
          ? Number.POSITIVE_INFINITY
          : value === other
            ? 0
            : Math.abs(other - value) / Math.max(Math.abs(value), rms, floor);
      if (!(error <= worst)) {
        worst = error;
        worstIndex = i;
      }
    });
    if (!(worst <= tolerance)) {
      throw new Error(
        `output ${index} (shape ${reference.shape}) differs at ${worstIndex}: cpu ${referenceValues[worstIndex]}, native ${resultValues[worstIndex]} (relative error ${worst})`,
      );
    }
  });
}
