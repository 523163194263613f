import { type ArchConfig, validateArch } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { layoutOf } from './create-supernet.js';
import { ElasticOptionError, MissingWeightError } from './errors.js';
import { forwardSupernet, weightLookup } from './forward-supernet.js';
import type { BatchNormNames } from './parameter-names.js';
import { planSubnet } from './subnet-plan.js';
import type { Supernet } from './types.js';

export interface CalibrateBatchNormOptions {
  /** Stop after this many batches (the reference uses 64); default: every batch given. */
  readonly maxBatches?: number;
}

export interface CalibrationResult {
  /** Batches the statistics were averaged over. */
  readonly batches: number;
  /** BN layers recalibrated. */
  readonly layers: number;
}

interface Accumulator {
  readonly names: BatchNormNames;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** Writes `values` over the leading entries of `variable`, keeping the rest. */
function assignLeading(variable: tf.Variable, values: tf.Tensor1D): void {
  tf.tidy(() => {
    const total = variable.shape[0] as number;
    const channels = values.shape[0];
    const updated =
      channels === total
        ? values
        : tf.concat([values, tf.slice(variable, [channels], [total - channels])]);
    variable.assign(updated);
  });
}

/**
 * Re-estimates the BN running statistics of subnet `arch`, as the reference does before evaluating
 * a subnet: reset them, run the batches forward with BN in training mode (normalising with batch
 * statistics), and set each BN's running mean and variance to the plain average over the batches
 * of the batch mean and the unbiased batch variance (PyTorch's cumulative average, momentum None).
 * Only the leading slices the subnet uses are written; every other entry is left as it was.
 * Batches are [N, resolution, resolution, inputChannels] tensors owned by the caller.
 */
export async function calibrateBatchNorm(
  supernet: Supernet,
  arch: ArchConfig,
  batches: Iterable<tf.Tensor4D> | AsyncIterable<tf.Tensor4D>,
  options: CalibrateBatchNormOptions = {},
): Promise<CalibrationResult> {
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  if (!(maxBatches >= 1) || (Number.isFinite(maxBatches) && !Number.isInteger(maxBatches))) {
    throw new ElasticOptionError('maxBatches', options.maxBatches, 'a positive integer');
  }
  const checked = validateArch(supernet.space, arch);
  const layout = layoutOf(supernet);
  const plan = planSubnet(layout, checked);
  const lookup = weightLookup(supernet.variables);
  const sums = new Map<string, Accumulator>();
  let count = 0;
  const hooks = {
    onBatchNorm(
      names: BatchNormNames,
      moments: { mean: tf.Tensor1D; variance: tf.Tensor1D; count: number },
    ) {
      if (moments.count < 2) {
        throw new ElasticOptionError(
          'batches',
          `a batch with ${moments.count} value per channel at ${names.mean}`,
          'batches with more than one value per channel (as PyTorch BN in training mode)',
        );
      }
      const unbiased = tf.mul(moments.variance, moments.count / (moments.count - 1)) as tf.Tensor1D;
      const previous = sums.get(names.mean);
      if (previous === undefined) {
        sums.set(names.mean, {
          names,
          mean: tf.keep(tf.clone(moments.mean)),
          variance: tf.keep(unbiased),
        });
        return;
      }
      const mean = tf.keep(tf.add(previous.mean, moments.mean)) as tf.Tensor1D;
      const variance = tf.keep(tf.add(previous.variance, unbiased)) as tf.Tensor1D;
      previous.mean.dispose();
      previous.variance.dispose();
      previous.mean = mean;
      previous.variance = variance;
    },
  };
  try {
    for await (const batch of batches) {
      if (count >= maxBatches) break;
      tf.tidy(() => {
        forwardSupernet(lookup, layout, plan, batch, { training: true }, hooks);
      });
      count += 1;
    }
    if (count === 0)
      throw new ElasticOptionError('batches', 'empty', 'at least one batch to calibrate on');
    for (const { names, mean, variance } of sums.values()) {
      const meanVariable = supernet.variables.get(names.mean);
      const varianceVariable = supernet.variables.get(names.variance);
      if (meanVariable === undefined)
        throw new MissingWeightError(names.mean, 'is missing from the supernet');
      if (varianceVariable === undefined)
        throw new MissingWeightError(names.variance, 'is missing from the supernet');
      tf.tidy(() => {
        assignLeading(meanVariable, tf.div(mean, count));
        assignLeading(varianceVariable, tf.div(variance, count));
      });
    }
    return { batches: count, layers: sums.size };
  } finally {
    for (const { mean, variance } of sums.values()) {
      mean.dispose();
      variance.dispose();
    }
  }
}
