import { describeForBackends, seededTensor } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { releaseNativeMemory } from './index.js';
import type { NativeBackend } from './native-backend.js';
import { setUpBackends } from './test-utils/backends.js';

describeForBackends(['native'], 'NativeBackend', () => {
  beforeAll(setUpBackends);
  beforeEach(() => tf.setBackend('native'));
  afterAll(() => tf.setBackend('cpu'));

  const backend = () => tf.backend() as NativeBackend;

  it('recycles the output arrays of disposed tensors for the next op of the same size', () => {
    const x = seededTensor([64, 64], 1);
    const first = tf.sigmoid(x);
    const pooledBefore = backend().pooledBytes;
    first.dispose();
    expect(backend().pooledBytes).toBe(pooledBefore + 64 * 64 * 4);
    const second = tf.sigmoid(x);
    expect(backend().pooledBytes).toBe(pooledBefore);
    tf.dispose([x, second]);
  });

  it('drops the arrays it holds when asked to release native memory', () => {
    tf.tidy(() => tf.sigmoid(seededTensor([32, 32], 9))).dispose();
    expect(backend().pooledBytes).toBeGreaterThan(0);
    releaseNativeMemory();
    expect(backend().pooledBytes).toBe(0);
  });

  it('never recycles an array that user code read, so values read before dispose stay intact', () => {
    const x = seededTensor([32, 32], 2);
    const result = tf.exp(x);
    const values = result.dataSync();
    const copy = Array.from(values);
    result.dispose();
    const others = tf.tidy(() => [tf.exp(tf.neg(x)), tf.exp(tf.mul(x, 2))]);
    expect(Array.from(values)).toEqual(copy);
    tf.dispose([x, ...others]);
  });

  it('never recycles an array a cpu kernel may hold a view of (contiguous slice)', () => {
    const x = seededTensor([16, 16], 3);
    const parent = tf.sigmoid(x);
    const view = tf.slice(parent, [0, 0], [8, 16]);
    parent.dispose();
    const expected = tf.tidy(() => tf.sigmoid(tf.slice(x, [0, 0], [8, 16])).arraySync());
    const others = tf.tidy(() => [tf.relu(x), tf.tanh(x), tf.sigmoid(tf.neg(x))]);
    expect(view.arraySync()).toEqual(expected);
    tf.dispose([x, view, ...others]);
  });

  it('keeps the tensor count and pool bounded over many training-like iterations', () => {
    const x = seededTensor([16, 8, 8, 12], 4);
    const filter = seededTensor([3, 3, 12, 1], 5);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 200; i += 1) {
      tf.tidy(() => {
        const gradient = tf.grad((input: tf.Tensor) =>
          tf.sum(
            tf.sigmoid(tf.depthwiseConv2d(input as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same')),
          ),
        )(x);
        return gradient;
      }).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(backend().pooledBytes).toBeLessThan(16 * 8 * 8 * 12 * 4 * 40);
    tf.dispose([x, filter]);
  });
});
