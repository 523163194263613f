import type * as tf from '@tensorflow/tfjs-core';
import type { Collective } from '../collective.js';
import { type AllreduceGradientsOptions, allreduceGradients } from './allreduce-gradients.js';

/**
 * What `@supernas/trainer`'s sandwich step and loop take as `dataParallel` (the trainer
 * declares the same shape; it does not depend on this package).
 */
export interface DataParallel {
  readonly rank: number;
  readonly size: number;
  /** The mean of every rank's gradients, as new tensors. */
  reduceGradients(gradients: tf.NamedTensorMap): Promise<tf.NamedTensorMap>;
  /** The mean over ranks of each value (per-subnet losses). */
  reduceLosses(values: readonly number[]): Promise<number[]>;
  /** The sum over ranks of each value (candidate losses for attentive ranking). */
  reduceCandidateLosses(values: readonly number[]): Promise<number[]>;
  /** True on every rank when any rank passes true (all ranks stop at the same step). */
  anyRank(flag: boolean): Promise<boolean>;
}

/** Data-parallel training over `collective`: gradients in buckets, losses as float64. */
export function dataParallel(
  collective: Collective,
  options: Pick<AllreduceGradientsOptions, 'bucketBytes' | 'checkLayout'> = {},
): DataParallel {
  return {
    rank: collective.rank,
    size: collective.size,
    reduceGradients: (gradients) =>
      allreduceGradients(gradients, collective, { ...options, op: 'mean' }),
    reduceLosses: async (values) =>
      Array.from(await collective.allreduce(Float64Array.from(values), 'mean')),
    reduceCandidateLosses: async (values) =>
      Array.from(await collective.allreduce(Float64Array.from(values), 'sum')),
    anyRank: async (flag) =>
      (await collective.allreduce(Float64Array.of(flag ? 1 : 0), 'max'))[0] === 1,
  };
}
