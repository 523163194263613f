import { formatValue } from '@supernas/errors';
import type * as tf from '@tensorflow/tfjs-core';
import { LossArgumentError } from './loss-argument-error.js';

/** Logits are float [batch, numClasses] with at least one class. */
export function checkLogits(lossName: string, argument: string, logits: tf.Tensor): void {
  if (logits.rank !== 2 || (logits.shape[1] ?? 0) < 1) {
    throw new LossArgumentError(
      lossName,
      `${argument} shape`,
      logits.shape,
      'rank 2 [batch, numClasses]',
    );
  }
  if (logits.dtype !== 'float32') {
    throw new LossArgumentError(lossName, `${argument} dtype`, logits.dtype, "'float32'");
  }
}

/** Student and teacher logits must describe the same batch over the same classes. */
export function checkLogitPair(lossName: string, student: tf.Tensor, teacher: tf.Tensor): void {
  checkLogits(lossName, 'studentLogits', student);
  checkLogits(lossName, 'teacherLogits', teacher);
  if (student.shape[0] !== teacher.shape[0] || student.shape[1] !== teacher.shape[1]) {
    throw new LossArgumentError(
      lossName,
      'teacherLogits shape',
      teacher.shape,
      `the studentLogits shape ${formatValue(student.shape)}`,
    );
  }
}

export function checkFiniteNumber(
  lossName: string,
  argument: string,
  value: number,
  accept: (value: number) => boolean,
  expected: string,
): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !accept(value)) {
    throw new LossArgumentError(lossName, argument, value, expected);
  }
}
