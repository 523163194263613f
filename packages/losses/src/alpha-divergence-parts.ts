import * as tf from '@tensorflow/tfjs-core';

/**
 * Past this, exp would leave float32's range; branches that tf.where discards still get
 * evaluated, so their arguments are clamped too, keeping every intermediate finite.
 */
const maxExponent = 30;

export interface AlphaDivergenceParts {
  /** D_alpha(p || q) per sample, [batch]. */
  readonly values: tf.Tensor1D;
  /** AlphaNet's gradient of D_alpha per sample with respect to the student logits, [batch, C]. */
  readonly gradients: tf.Tensor2D;
}

/**
 * D_a(p || q) = 1 / (a (a - 1)) * sum_i q_i [min(w_i^a, clip) - 1], w = p / q, per sample,
 * and AlphaNet's estimator of its gradient with respect to the student logits z:
 * -(1 / a) * sum_i q_i min(w_i^a, clip) * grad log q_i. a = 1 is KL(p || q) and a = 0 is
 * KL(q || p), both unclipped (the limits of the formula as a tends to them).
 *
 * Everything is in log space (w^a = exp(a (log p - log q))), and the sums are arranged so
 * that no two large, nearly equal numbers are subtracted: the numerator of D_a vanishes as
 * a -> 1 and as a -> 0, so a plain `sum(q * w^a) - 1` would lose every significant digit to
 * float32 rounding near either end.
 */
export function alphaDivergenceParts(
  logQ: tf.Tensor2D,
  logP: tf.Tensor2D,
  alpha: number,
  clip: number,
): AlphaDivergenceParts {
  return tf.tidy(() => {
    const q = tf.exp(logQ);
    const p = tf.exp(logP);
    const logRatio = tf.sub(logP, logQ);
    let values: tf.Tensor;
    // Per class, the weight c_i - q_i of grad log q_i in the gradient; subtracting q_i changes
    // nothing (sum_i q_i grad log q_i = grad sum_i q_i = 0) but keeps it accurate for small a.
    let weights: tf.Tensor;
    let gradientScale: number;
    if (alpha === 1) {
      values = tf.sum(tf.mul(p, logRatio), 1);
      weights = tf.sub(p, q);
      gradientScale = 1;
    } else if (alpha === 0) {
      values = tf.neg(tf.sum(tf.mul(q, logRatio), 1));
      weights = tf.mul(q, logRatio);
      gradientScale = 1;
    } else {
      const logClip = Math.log(clip);
      const scaledLogRatio = tf.mul(logRatio, alpha);
      const clippedExponent = tf.minimum(scaledLogRatio, logClip);
      // q_i (min(w_i^a, clip) - 1), accurate when the exponent is near zero.
      weights = tf.mul(q, tf.expm1(clippedExponent));
      const denominator = alpha * (alpha - 1);
      if (alpha < 0.5) {
        values = tf.div(tf.sum(weights, 1), denominator);
      } else {
        // sum_i q_i (min(w_i^a, clip) - 1) = sum_i (q_i min(w_i^a, clip) - p_i), as sum q = sum p.
        // Unclipped terms are p_i (w_i^(a-1) - 1), which expm1 keeps exact as a -> 1; where
        // w^(a-1) is huge there is nothing to cancel, so q w^a - p is used as it is.
        const clipped = tf.greater(scaledLogRatio, logClip);
        const shiftedExponent = tf.mul(logRatio, alpha - 1);
        const nearTerm = tf.mul(p, tf.expm1(tf.minimum(shiftedExponent, maxExponent)));
        const farTerm = tf.sub(tf.exp(tf.add(logQ, clippedExponent)), p);
        const unclippedTerm = tf.where(tf.greater(shiftedExponent, maxExponent), farTerm, nearTerm);
        const clippedTerm = tf.sub(tf.mul(q, clip), p);
        values = tf.div(tf.sum(tf.where(clipped, clippedTerm, unclippedTerm), 1), denominator);
      }
      gradientScale = 1 / alpha;
    }
    // d/dz_j of sum_i c_i log q_i is c_j - q_j sum_i c_i.
    const gradients = tf.mul(tf.sub(weights, tf.mul(q, tf.sum(weights, 1, true))), -gradientScale);
    return { values: values as tf.Tensor1D, gradients: gradients as tf.Tensor2D };
  });
}
