import * as tf from '@tensorflow/tfjs-core';
import { checkFiniteNumber, checkLogitPair } from './check-inputs.js';

export interface KlDivergenceOptions {
  /** Both logits are divided by this before the softmax. Default 1. */
  readonly temperature?: number;
}

const lossName = 'klDivergence';

/**
 * Batch mean of KL(p || q), p = softmax(teacherLogits / T) and q = softmax(studentLogits / T):
 * the in-place distillation loss of slimmable networks and AttentiveNAS. The teacher is a
 * target, not a trainee: its gradient is exactly zero. The value is not multiplied by T^2;
 * callers that want Hinton's scaling multiply it themselves.
 */
export function klDivergence(
  studentLogits: tf.Tensor,
  teacherLogits: tf.Tensor,
  options: KlDivergenceOptions = {},
): tf.Scalar {
  const temperature = options.temperature ?? 1;
  checkLogitPair(lossName, studentLogits, teacherLogits);
  checkFiniteNumber(
    lossName,
    'temperature',
    temperature,
    (value) => value > 0,
    'a positive number',
  );
  const batch = studentLogits.shape[0] as number;

  const loss = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [student, teacher, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const logQ = tf.logSoftmax(tf.div(student, temperature));
    const logP = tf.logSoftmax(tf.div(teacher, temperature));
    const p = tf.exp(logP);
    const value = tf.div(tf.sum(tf.mul(p, tf.sub(logP, logQ))), batch) as tf.Scalar;
    save([logQ, p]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedLogQ, savedP] = saved as [tf.Tensor, tf.Tensor];
        const scale = tf.div(dy, batch * temperature);
        const studentGradient = tf.mul(tf.sub(tf.exp(savedLogQ), savedP), scale);
        return [studentGradient, tf.zeros(teacher.shape)];
      },
    };
  });
  return loss(studentLogits, teacherLogits) as tf.Scalar;
}
