import * as tf from '@tensorflow/tfjs-core';
import { alphaDivergenceParts } from './alpha-divergence-parts.js';
import { checkFiniteNumber, checkLogitPair } from './check-inputs.js';
import { LossArgumentError } from './loss-argument-error.js';

export interface AdaptiveAlphaDivergenceOptions {
  /** The lower order, penalising a student that overestimates the teacher. Default -1. */
  readonly alphaMin?: number;
  /** The upper order, penalising a student that underestimates the teacher. Default 1 (KL). */
  readonly alphaMax?: number;
  /** Upper bound on the importance weight w^a, > 1. Default 5. */
  readonly clip?: number;
}

const lossName = 'adaptiveAlphaDivergence';

/**
 * The options `adaptiveAlphaDivergence` would run with, defaults filled in; throws the
 * `LossArgumentError` it would throw. A config reader calls it to reject bad options before a
 * run starts rather than at its first distillation step.
 */
export function checkAdaptiveAlphaDivergenceOptions(
  options: AdaptiveAlphaDivergenceOptions = {},
): Required<AdaptiveAlphaDivergenceOptions> {
  const alphaMin = options.alphaMin ?? -1;
  const alphaMax = options.alphaMax ?? 1;
  const clip = options.clip ?? 5;
  checkFiniteNumber(lossName, 'alphaMin', alphaMin, () => true, 'a finite number');
  checkFiniteNumber(lossName, 'alphaMax', alphaMax, () => true, 'a finite number');
  if (alphaMin > alphaMax) {
    throw new LossArgumentError(lossName, 'alphaMin', alphaMin, `<= alphaMax (${alphaMax})`);
  }
  checkFiniteNumber(lossName, 'clip', clip, (value) => value > 1, 'a finite number > 1');
  return { alphaMin, alphaMax, clip };
}

/**
 * AlphaNet's adaptive knowledge-distillation loss. Per sample it evaluates the clipped
 * alpha-divergence D_a(p || q) = 1 / (a (a - 1)) * sum_i q_i [min((p_i / q_i)^a, clip) - 1]
 * (p the teacher's softmax, q the student's) at a = alphaMin and a = alphaMax and keeps the
 * larger (alphaMax on ties). The result is the batch mean of those values: a true divergence,
 * so it can be logged and compared across steps.
 *
 * Its gradient with respect to the student logits is AlphaNet's estimator for the selected a,
 * -(1 / a) * sum_i q_i min(w_i^a, clip) grad log q_i (unclipped KL gradient for a = 1, reverse
 * KL gradient for a = 0); the teacher's gradient is zero. Everything is computed in log space,
 * so confident teachers, thousands of classes and a student far from its teacher stay finite.
 *
 * D_a is non-negative for a in [0, 1]; for a outside it, clipping can pull D_a slightly below
 * zero when clip is small (around 2 or less). With the default alphaMax = 1 the maximum is
 * always non-negative.
 */
export function adaptiveAlphaDivergence(
  studentLogits: tf.Tensor,
  teacherLogits: tf.Tensor,
  options: AdaptiveAlphaDivergenceOptions = {},
): tf.Scalar {
  checkLogitPair(lossName, studentLogits, teacherLogits);
  const { alphaMin, alphaMax, clip } = checkAdaptiveAlphaDivergenceOptions(options);
  const batch = studentLogits.shape[0] as number;

  const loss = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [student, teacher, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const logQ = tf.logSoftmax(student) as tf.Tensor2D;
    const logP = tf.logSoftmax(teacher) as tf.Tensor2D;
    const lower = alphaDivergenceParts(logQ, logP, alphaMin, clip);
    const upper = alphaDivergenceParts(logQ, logP, alphaMax, clip);
    const useLower = tf.greater(lower.values, upper.values);
    const values = tf.where(useLower, lower.values, upper.values);
    const gradients = tf.where(
      tf.broadcastTo(tf.expandDims(useLower, 1), upper.gradients.shape),
      lower.gradients,
      upper.gradients,
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
