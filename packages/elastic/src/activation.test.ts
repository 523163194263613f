import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyActivation } from './activation.js';
import { useCpu } from './test-utils/elastic-fixtures.js';

describe('applyActivation', () => {
  beforeAll(useCpu);

  const values = [-4, -1, 0, 2, 7];
  const run = (activation: Parameters<typeof applyActivation>[1]) =>
    tf.tidy(() => Array.from(applyActivation(tf.tensor1d(values), activation).dataSync()));
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const relu6 = (v: number) => Math.min(Math.max(v, 0), 6);

  it('computes swish, h_swish and h_sigmoid as the reference', () => {
    const close = (actual: number[], expected: number[]) =>
      actual.forEach((value, i) => {
        expect(value).toBeCloseTo(expected[i] as number, 5);
      });
    close(
      run('swish'),
      values.map((v) => v * sigmoid(v)),
    );
    close(
      run('h_swish'),
      values.map((v) => (v * relu6(v + 3)) / 6),
    );
    close(
      run('h_sigmoid'),
      values.map((v) => relu6(v + 3) / 6),
    );
    close(run('sigmoid'), values.map(sigmoid));
    expect(run('relu')).toEqual([0, 0, 0, 2, 7]);
    expect(run('relu6')).toEqual([0, 0, 0, 2, 6]);
  });

  it('rejects an unknown activation by name', () => {
    const x = tf.tensor1d([1]);
    expect(() => applyActivation(x, 'gelu' as never)).toThrow(/unknown activation "gelu"/);
    x.dispose();
  });
});

describe('applyActivation gradients', () => {
  it('has the swish gradient sigmoid(x) * (1 + x * (1 - sigmoid(x)))', async () => {
    const { registerGradients } = await import('./register-gradients.js');
    await registerGradients();
    const values = [-4, -1, 0, 0.5, 2, 7];
    const gradient = tf.tidy(() =>
      Array.from(
        tf
          .grad((x: tf.Tensor) => tf.sum(applyActivation(x, 'swish')))(tf.tensor1d(values))
          .dataSync(),
      ),
    );
    values.forEach((v, i) => {
      const s = 1 / (1 + Math.exp(-v));
      expect(gradient[i]).toBeCloseTo(s * (1 + v * (1 - s)), 5);
    });
  }, 120_000);
});
