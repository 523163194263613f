import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { klDivergence } from './kl-divergence.js';
import { LossArgumentError } from './loss-argument-error.js';
import {
  finiteDifferenceGradient,
  klDivergence64,
  maxScaledError,
  seededLogits,
} from './test-utils/float64-reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function valueAndGradients(
  student: Float32Array,
  teacher: Float32Array,
  shape: [number, number],
  temperature: number,
): { value: number; studentGradient: Float32Array; teacherGradient: Float32Array } {
  const studentTensor = tf.tensor2d(student, shape);
  const teacherTensor = tf.tensor2d(teacher, shape);
  const value = klDivergence(studentTensor, teacherTensor, { temperature });
  const [studentGradient, teacherGradient] = tf.grads((s: tf.Tensor, t: tf.Tensor) =>
    klDivergence(s, t, { temperature }),
  )([studentTensor, teacherTensor]) as [tf.Tensor, tf.Tensor];
  const result = {
    value: value.dataSync()[0] as number,
    studentGradient: studentGradient.dataSync() as Float32Array,
    teacherGradient: teacherGradient.dataSync() as Float32Array,
  };
  tf.dispose([studentTensor, teacherTensor, value, studentGradient, teacherGradient]);
  return result;
}

describe('klDivergence', () => {
  it.each([
    {
      name: '10 classes, T = 1',
      seed: 1,
      shape: [4, 10] as [number, number],
      scale: 3,
      temperature: 1,
    },
    {
      name: '1000 classes, T = 1',
      seed: 2,
      shape: [2, 1000] as [number, number],
      scale: 5,
      temperature: 1,
    },
    {
      name: 'extreme logits, T = 4',
      seed: 3,
      shape: [3, 20] as [number, number],
      scale: 50,
      temperature: 4,
    },
  ])(
    'matches float64 values and finite differences: $name',
    ({ seed, shape, scale, temperature }) => {
      const student = seededLogits(seed, shape[0] * shape[1], scale);
      const teacher = seededLogits(seed + 100, shape[0] * shape[1], scale);
      const before = tf.memory().numTensors;
      const actual = valueAndGradients(student, teacher, shape, temperature);
      expect(tf.memory().numTensors).toBe(before);
      const expected = klDivergence64(student, teacher, shape[1], temperature);
      expect(Math.abs(actual.value - expected)).toBeLessThanOrEqual(1e-4 * expected + 1e-6);
      const numeric = finiteDifferenceGradient(
        (point) => klDivergence64(point, teacher, shape[1], temperature),
        student,
        1e-4 * temperature,
        student.length > 200 ? 7 : 1,
      );
      expect(maxScaledError(actual.studentGradient, numeric)).toBeLessThan(1e-4);
    },
  );

  it('gives the teacher exactly zero gradient', () => {
    const student = seededLogits(7, 12, 2);
    const teacher = seededLogits(8, 12, 2);
    const { teacherGradient } = valueAndGradients(student, teacher, [3, 4], 2);
    expect(Array.from(teacherGradient)).toEqual(new Array(12).fill(0));
  });

  it('is zero for identical logits and positive otherwise', () => {
    const logits = seededLogits(9, 12, 2);
    expect(valueAndGradients(logits, logits, [3, 4], 1).value).toBeCloseTo(0, 6);
    expect(valueAndGradients(logits, seededLogits(10, 12, 2), [3, 4], 1).value).toBeGreaterThan(
      0.01,
    );
  });

  it('rejects a non-positive temperature and mismatched logits', () => {
    const logits = tf.zeros([2, 3]);
    const other = tf.zeros([3, 3]);
    expect(() => klDivergence(logits, logits, { temperature: 0 })).toThrow(LossArgumentError);
    expect(() => klDivergence(logits, logits, { temperature: 0 })).toThrow(
      /temperature must be a positive number, but got 0/,
    );
    expect(() => klDivergence(logits, other)).toThrow(
      /teacherLogits shape must be the studentLogits shape \[2,3\], but got \[3,3\]/,
    );
    const vector = tf.zeros([3]);
    expect(() => klDivergence(vector, vector)).toThrow(/studentLogits shape must be rank 2/);
    tf.dispose([logits, other, vector]);
  });
});
