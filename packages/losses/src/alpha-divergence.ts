import * as tf from '@tensorflow/tfjs-core';
import { alphaDivergenceParts } from './alpha-divergence-parts.js';
import { checkFiniteNumber, checkLogitPair } from './check-inputs.js';

export interface AlphaDivergenceOptions {
  /** The order a of D_a. 1 is KL(p || q), 0 is KL(q || p). */
  readonly alpha: number;
  /** Upper bound on the importance weight w^a, > 1. Default 5 (AlphaNet's ImageNet setting). */
  readonly clip?: number;
}

const lossName = 'alphaDivergence';

/**
 * Batch mean of the clipped alpha-divergence D_a(p || q) of AlphaNet, p = softmax(teacher),
 * q = softmax(student), with AlphaNet's gradient estimator for the student and none for the
 * teacher. See `adaptiveAlphaDivergence`, which picks the order per sample.
 */
export function alphaDivergence(
  studentLogits: tf.Tensor,
  teacherLogits: tf.Tensor,
  options: AlphaDivergenceOptions,
): tf.Scalar {
  const { alpha } = options;
  const clip = options.clip ?? 5;
  checkLogitPair(lossName, studentLogits, teacherLogits);
  checkFiniteNumber(lossName, 'alpha', alpha, () => true, 'a finite number');
  checkFiniteNumber(lossName, 'clip', clip, (value) => value > 1, 'a finite number > 1');
  const batch = studentLogits.shape[0] as number;

  const loss = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [student, teacher, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const { values, gradients } = alphaDivergenceParts(
      tf.logSoftmax(student) as tf.Tensor2D,
      tf.logSoftmax(teacher) as tf.Tensor2D,
      alpha,
      clip,
    );
    save([gradients]);
    return {
      value: tf.div(tf.sum(values), batch) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        tf.mul(saved[0] as tf.Tensor, tf.div(dy, batch)),
        tf.zeros(teacher.shape),
      ],
    };
  });
  return loss(studentLogits, teacherLogits) as tf.Scalar;
}
