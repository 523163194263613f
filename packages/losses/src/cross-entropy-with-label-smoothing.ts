import * as tf from '@tensorflow/tfjs-core';
import { checkFiniteNumber, checkLogits } from './check-inputs.js';
import { LossArgumentError } from './loss-argument-error.js';

export interface LabelSmoothingOptions {
  /** Probability mass spread uniformly over all classes, in [0, 1). Default 0.1 (AttentiveNAS). */
  readonly smoothing?: number;
}

const lossName = 'crossEntropyWithLabelSmoothing';

/**
 * Batch mean of the cross-entropy between `(1 - smoothing) * target + smoothing / numClasses`
 * and `softmax(logits)`. `labels` are int32 class indices `[batch]` or one-hot / soft targets
 * `[batch, numClasses]`. Indices are not range-checked: that would force a synchronous read
 * from the device on every step; an out-of-range index acts as an all-zero one-hot row.
 *
 * The gradient is written out (softmax minus target) rather than differentiated through
 * log-softmax, so it stays exact for confident logits and needs no registered gradients.
 */
export function crossEntropyWithLabelSmoothing(
  logits: tf.Tensor,
  labels: tf.Tensor,
  options: LabelSmoothingOptions = {},
): tf.Scalar {
  const smoothing = options.smoothing ?? 0.1;
  checkLogits(lossName, 'logits', logits);
  checkFiniteNumber(
    lossName,
    'smoothing',
    smoothing,
    (value) => value >= 0 && value < 1,
    'in [0, 1)',
  );
  const [batch, numClasses] = logits.shape as [number, number];
  const indexLabels = labels.rank === 1;
  if (indexLabels) {
    if (labels.shape[0] !== batch) {
      throw new LossArgumentError(
        lossName,
        'labels shape',
        labels.shape,
        `[${batch}] to match the logits batch`,
      );
    }
    if (labels.dtype !== 'int32') {
      throw new LossArgumentError(
        lossName,
        'labels dtype',
        labels.dtype,
        "'int32' for class indices",
      );
    }
  } else if (labels.rank !== 2 || labels.shape[0] !== batch || labels.shape[1] !== numClasses) {
    throw new LossArgumentError(
      lossName,
      'labels shape',
      labels.shape,
      `[${batch}] class indices or [${batch}, ${numClasses}] targets`,
    );
  }

  const loss = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [logitsInput, labelsInput, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const base = indexLabels
      ? tf.oneHot(labelsInput as tf.Tensor1D, numClasses)
      : tf.cast(labelsInput, 'float32');
    const targets = tf.add(tf.mul(base, 1 - smoothing), smoothing / numClasses);
    const logProbabilities = tf.logSoftmax(logitsInput);
    const value = tf.div(tf.neg(tf.sum(tf.mul(targets, logProbabilities))), batch) as tf.Scalar;
    save([logProbabilities, targets]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedLogProbabilities, savedTargets] = saved as [tf.Tensor, tf.Tensor];
        const scale = tf.div(dy, batch);
        // d/dz of -sum(t * log softmax(z)) is softmax(z) * sum(t) - t; sum(t) is 1 for
        // distributions but soft targets need not be normalised.
        const targetMass = tf.sum(savedTargets, 1, true);
        const logitsGradient = tf.mul(
          tf.sub(tf.mul(tf.exp(savedLogProbabilities), targetMass), savedTargets),
          scale,
        );
        const labelsGradient = indexLabels
          ? tf.zeros(labelsInput.shape, labelsInput.dtype)
          : tf.mul(tf.mul(savedLogProbabilities, -(1 - smoothing)), scale);
        return [logitsGradient, labelsGradient];
      },
    };
  });
  return loss(logits, labels) as tf.Scalar;
}
