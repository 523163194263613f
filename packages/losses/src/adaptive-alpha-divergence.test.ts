import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adaptiveAlphaDivergence,
  checkAdaptiveAlphaDivergenceOptions,
} from './adaptive-alpha-divergence.js';
import { klDivergence } from './kl-divergence.js';
import { LossArgumentError } from './loss-argument-error.js';
import {
  adaptiveAlphaDivergence64,
  finiteDifferenceGradient,
  maxScaledError,
  seededLogits,
} from './test-utils/float64-reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface Case {
  readonly name: string;
  readonly batch: number;
  readonly numClasses: number;
  readonly student: Float32Array;
  readonly teacher: Float32Array;
  readonly alphaMin: number;
  readonly alphaMax: number;
  readonly clip: number;
}

function randomCase(
  name: string,
  seed: number,
  batch: number,
  numClasses: number,
  studentScale: number,
  teacherScale: number,
  options: { alphaMin?: number; alphaMax?: number; clip?: number } = {},
): Case {
  return {
    name,
    batch,
    numClasses,
    student: seededLogits(seed, batch * numClasses, studentScale),
    teacher: seededLogits(seed + 1000, batch * numClasses, teacherScale),
    alphaMin: options.alphaMin ?? -1,
    alphaMax: options.alphaMax ?? 1,
    clip: options.clip ?? 5,
  };
}

/** Rows that are +-50 at one class each: a confident teacher and a student sure of another class. */
function farApartCase(numClasses: number, clip: number): Case {
  const batch = 3;
  const student = new Float32Array(batch * numClasses).fill(-50);
  const teacher = new Float32Array(batch * numClasses).fill(-50);
  for (let n = 0; n < batch; n++) {
    teacher[n * numClasses + ((n * 7) % numClasses)] = 50;
    student[n * numClasses + ((n * 7 + 1 + n) % numClasses)] = 50;
  }
  return {
    name: `far apart, ${numClasses} classes, clip ${clip}`,
    batch,
    numClasses,
    student,
    teacher,
    alphaMin: -1,
    alphaMax: 1,
    clip,
  };
}

const cases: Case[] = [
  randomCase('small, defaults', 1, 4, 10, 2, 2),
  randomCase('1000 classes, clip 5', 2, 3, 1000, 3, 3),
  randomCase('1000 classes, confident teacher (+-50), clip 3', 3, 2, 1000, 2, 50, { clip: 3 }),
  randomCase('confident teacher (+-50), clip 1000', 4, 4, 20, 1, 50, { clip: 1000 }),
  randomCase('confident student (+-50), clip 5', 5, 4, 20, 50, 1),
  randomCase('both extreme (+-50), clip 1000', 6, 4, 50, 50, 50, { clip: 1000 }),
  randomCase('clip 3, alphas -2 and 2', 7, 5, 16, 3, 3, { alphaMin: -2, alphaMax: 2, clip: 3 }),
  randomCase('alphas 0 and 0.5', 8, 5, 16, 3, 3, { alphaMin: 0, alphaMax: 0.5 }),
  randomCase('alphas 0.25 and 0.75, clip 1000', 9, 5, 16, 4, 4, {
    alphaMin: 0.25,
    alphaMax: 0.75,
    clip: 1000,
  }),
  randomCase('alphas -0.5 and 1.5, clip 5', 10, 6, 12, 2, 2, { alphaMin: -0.5, alphaMax: 1.5 }),
  // Near the teacher D_-1 and D_1 agree to second order, so float32 and float64 may pick
  // different alphas; one alpha isolates the precision of small differences.
  randomCase('student near the teacher, alpha 0.5 only', 11, 4, 30, 0.01, 0.01, {
    alphaMin: 0.5,
    alphaMax: 0.5,
  }),
  farApartCase(1000, 5),
  farApartCase(10, 1000),
];

function run(testCase: Case): {
  value: number;
  gradient: Float32Array;
  teacherGradient: Float32Array;
} {
  const { batch, numClasses } = testCase;
  const student = tf.tensor2d(testCase.student, [batch, numClasses]);
  const teacher = tf.tensor2d(testCase.teacher, [batch, numClasses]);
  const options = { alphaMin: testCase.alphaMin, alphaMax: testCase.alphaMax, clip: testCase.clip };
  const gradients = tf.grads((s: tf.Tensor, t: tf.Tensor) =>
    adaptiveAlphaDivergence(s, t, options),
  );
  const value = adaptiveAlphaDivergence(student, teacher, options);
  const [studentGradient, teacherGradient] = gradients([student, teacher]) as [
    tf.Tensor,
    tf.Tensor,
  ];
  const result = {
    value: value.dataSync()[0] as number,
    gradient: studentGradient.dataSync() as Float32Array,
    teacherGradient: teacherGradient.dataSync() as Float32Array,
  };
  tf.dispose([student, teacher, value, studentGradient, teacherGradient]);
  return result;
}

describe('adaptiveAlphaDivergence', () => {
  it.each(cases)('matches a float64 evaluation of value and gradient: $name', (testCase) => {
    const before = tf.memory().numTensors;
    const actual = run(testCase);
    expect(tf.memory().numTensors).toBe(before);
    const expected = adaptiveAlphaDivergence64(
      testCase.student,
      testCase.teacher,
      testCase.numClasses,
      testCase.alphaMin,
      testCase.alphaMax,
      testCase.clip,
    );
    expect(Number.isFinite(actual.value)).toBe(true);
    expect(actual.gradient.every(Number.isFinite)).toBe(true);
    expect(Math.abs(actual.value - expected.value)).toBeLessThanOrEqual(
      1e-4 * Math.abs(expected.value) + 1e-6,
    );
    expect(maxScaledError(actual.gradient, expected.gradient)).toBeLessThan(1e-4);
    expect(Array.from(actual.teacherGradient).every((g) => g === 0)).toBe(true);
  });

  it('is non-negative and zero when the student equals the teacher', () => {
    const logits = tf.tensor2d(seededLogits(21, 40, 5), [4, 10]);
    const same = adaptiveAlphaDivergence(logits, logits);
    expect(same.dataSync()[0]).toBeCloseTo(0, 6);
    for (const testCase of cases.filter((c) => c.alphaMax === 1)) {
      const value = run(testCase).value;
      expect(value).toBeGreaterThanOrEqual(0);
    }
    tf.dispose([logits, same]);
  });

  it('takes, per sample, the larger of the two divergences', () => {
    const testCase = randomCase('selection', 31, 16, 8, 3, 3);
    const expected = adaptiveAlphaDivergence64(testCase.student, testCase.teacher, 8, -1, 1, 5);
    // Random pairs should exercise both branches, or this test would not test the selection.
    expect(new Set(expected.selectedAlphas)).toEqual(new Set([-1, 1]));
    expect(run(testCase).value).toBeCloseTo(expected.value, 4);
  });

  it('approaches KL(p || q) as both alphas approach 1', () => {
    const student = tf.tensor2d(seededLogits(41, 5 * 100, 4), [5, 100]);
    const teacher = tf.tensor2d(seededLogits(42, 5 * 100, 4), [5, 100]);
    const kl = klDivergence(student, teacher);
    const klValue = kl.dataSync()[0] as number;
    const klGradient = tf.grad((s: tf.Tensor) => klDivergence(s, teacher))(student);
    const errors = [0.99, 0.999, 0.9999].map((alpha) => {
      // A clip this large never binds, so only the order separates D_a from KL.
      const options = { alphaMin: alpha, alphaMax: alpha, clip: 1e30 };
      const value = adaptiveAlphaDivergence(student, teacher, options);
      const gradient = tf.grad((s: tf.Tensor) => adaptiveAlphaDivergence(s, teacher, options))(
        student,
      );
      const valueError = Math.abs((value.dataSync()[0] as number) - klValue) / klValue;
      const gradientError = maxScaledError(gradient.dataSync(), klGradient.dataSync());
      tf.dispose([value, gradient]);
      return { valueError, gradientError };
    });
    const [far, near, nearest] = errors as [
      (typeof errors)[0],
      (typeof errors)[0],
      (typeof errors)[0],
    ];
    // The gap is first order in (1 - a): ten times closer to 1, about ten times smaller.
    expect(near.valueError).toBeLessThan(far.valueError / 5);
    expect(nearest.valueError).toBeLessThan(near.valueError / 5);
    expect(nearest.valueError).toBeLessThan(1e-3);
    expect(near.gradientError).toBeLessThan(far.gradientError / 5);
    expect(nearest.gradientError).toBeLessThan(near.gradientError / 5);
    expect(nearest.gradientError).toBeLessThan(1e-3);
    tf.dispose([student, teacher, kl, klGradient]);
  });

  it('has the true gradient of D_a where no importance weight is clipped', () => {
    const numClasses = 6;
    const student = seededLogits(51, 2 * numClasses, 1);
    const teacher = seededLogits(52, 2 * numClasses, 1);
    for (const alpha of [-1, 0.5, 1, 2]) {
      const evaluate = (point: Float64Array): number =>
        adaptiveAlphaDivergence64(point, teacher, numClasses, alpha, alpha, 1000).value;
      const numeric = finiteDifferenceGradient(evaluate, student);
      const studentTensor = tf.tensor2d(student, [2, numClasses]);
      const teacherTensor = tf.tensor2d(teacher, [2, numClasses]);
      const gradient = tf.grad((s: tf.Tensor) =>
        adaptiveAlphaDivergence(s, teacherTensor, { alphaMin: alpha, alphaMax: alpha, clip: 1000 }),
      )(studentTensor);
      expect(maxScaledError(gradient.dataSync(), numeric)).toBeLessThan(1e-4);
      tf.dispose([studentTensor, teacherTensor, gradient]);
    }
  });

  it('rejects mismatched shapes and bad options, naming the value', () => {
    const student = tf.zeros([2, 3]);
    const teacher = tf.zeros([2, 4]);
    expect(() => adaptiveAlphaDivergence(student, teacher)).toThrow(LossArgumentError);
    expect(() => adaptiveAlphaDivergence(student, teacher)).toThrow(/teacherLogits shape.*\[2,4\]/);
    expect(() => adaptiveAlphaDivergence(student, student, { clip: 1 })).toThrow(
      /clip must be a finite number > 1, but got 1/,
    );
    expect(() => adaptiveAlphaDivergence(student, student, { alphaMin: 2, alphaMax: 1 })).toThrow(
      /alphaMin.*got 2/,
    );
    tf.dispose([student, teacher]);
  });
});

describe('checkAdaptiveAlphaDivergenceOptions', () => {
  it('fills the defaults and rejects the options the loss rejects, without tensors', () => {
    expect(checkAdaptiveAlphaDivergenceOptions()).toEqual({ alphaMin: -1, alphaMax: 1, clip: 5 });
    expect(checkAdaptiveAlphaDivergenceOptions({ alphaMin: 0.5, clip: 3 })).toEqual({
      alphaMin: 0.5,
      alphaMax: 1,
      clip: 3,
    });
    expect(() => checkAdaptiveAlphaDivergenceOptions({ alphaMin: 2, alphaMax: 1 })).toThrow(
      'Error in adaptiveAlphaDivergence: alphaMin must be <= alphaMax (1), but got 2.',
    );
    expect(() => checkAdaptiveAlphaDivergenceOptions({ clip: 1 })).toThrow(LossArgumentError);
  });
});
