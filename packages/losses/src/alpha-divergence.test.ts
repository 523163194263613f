import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { alphaDivergence } from './alpha-divergence.js';
import {
  adaptiveAlphaDivergence64,
  maxScaledError,
  seededLogits,
} from './test-utils/float64-reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('alphaDivergence', () => {
  it.each([-1, 0, 0.5, 1, 2])('matches a float64 evaluation at alpha %d', (alpha) => {
    const student = seededLogits(61, 3 * 50, 6);
    const teacher = seededLogits(62, 3 * 50, 6);
    const studentTensor = tf.tensor2d(student, [3, 50]);
    const teacherTensor = tf.tensor2d(teacher, [3, 50]);
    const before = tf.memory().numTensors;
    const value = alphaDivergence(studentTensor, teacherTensor, { alpha, clip: 5 });
    const gradient = tf.grad((s: tf.Tensor) =>
      alphaDivergence(s, teacherTensor, { alpha, clip: 5 }),
    )(studentTensor);
    const expected = adaptiveAlphaDivergence64(student, teacher, 50, alpha, alpha, 5);
    expect(Math.abs((value.dataSync()[0] as number) - expected.value)).toBeLessThanOrEqual(
      1e-4 * Math.abs(expected.value) + 1e-6,
    );
    expect(maxScaledError(gradient.dataSync(), expected.gradient)).toBeLessThan(1e-4);
    tf.dispose([value, gradient]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([studentTensor, teacherTensor]);
  });

  it('requires an alpha', () => {
    const logits = tf.zeros([1, 2]);
    expect(() => alphaDivergence(logits, logits, { alpha: Number.NaN })).toThrow(
      /alpha must be a finite number, but got NaN/,
    );
    logits.dispose();
  });
});
