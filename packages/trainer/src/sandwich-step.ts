import type { Supernet } from '@supernas/elastic';
import type { ArchConfig } from '@supernas/search-space';
import type * as tf from '@tensorflow/tfjs-core';
import type { PhaseTimes } from './phase-times.js';
import { SandwichPasses } from './sandwich-passes.js';
import type { Sgd } from './sgd.js';

export { isDecayedParameter, resizeBatch } from './sandwich-passes.js';

export type DistillationConfig =
  | {
      readonly kind: 'alpha';
      readonly alphaMin: number;
      readonly alphaMax: number;
      readonly clip: number;
    }
  | { readonly kind: 'kl'; readonly temperature: number }
  /** Students train on the labels (label-smoothed CE) like the teacher: no distillation. */
  | { readonly kind: 'none' };

export interface SandwichStepConfig {
  readonly labelSmoothing: number;
  /** Dropout and drop-connect apply to the largest subnet only, as in the reference. */
  readonly dropout: number;
  readonly dropConnect: number;
  readonly gradClipValue: number;
  readonly distillation: DistillationConfig;
}

export interface SubnetLoss {
  readonly role: 'max' | 'middle' | 'min';
  readonly arch: ArchConfig;
  readonly loss: number;
}

export function roleOf(index: number, count: number): SubnetLoss['role'] {
  if (index === 0) return 'max';
  return index === count - 1 && count > 1 ? 'min' : 'middle';
}

/**
 * How the step combines the work of several processes that each hold a shard of the global
 * batch (data-parallel training): `@supernas/distributed/tfjs`'s `dataParallel(collective)` is
 * one. Every rank runs the same subnets; with this, every rank also takes the same SGD step.
 */
export interface DataParallel {
  readonly rank: number;
  readonly size: number;
  /** The mean over ranks of each gradient, as new tensors (the step disposes them). */
  reduceGradients(gradients: tf.NamedTensorMap): Promise<tf.NamedTensorMap>;
  /** The mean over ranks of each value: one loss per subnet. */
  reduceLosses(values: readonly number[]): Promise<number[]>;
  /** The sum over ranks of each value: the attentive sampler's candidate losses. */
  reduceCandidateLosses(values: readonly number[]): Promise<number[]>;
  /**
   * True on every rank when any rank passes true: ranks stop at the same step (one stopping
   * alone would leave the others waiting in its next collective).
   */
  anyRank(flag: boolean): Promise<boolean>;
}

export interface SandwichStepInput {
  readonly supernet: Supernet;
  readonly optimizer: Sgd;
  /** `[max, ...middle, min]`: the first arch is the teacher. */
  readonly archs: readonly ArchConfig[];
  /** A batch at the data pipeline's resolution; resized per arch. */
  readonly images: tf.Tensor4D;
  readonly labels: tf.Tensor1D;
  readonly learningRate: number;
  /** This step's number as records and the progress display count it (from 1), for errors. */
  readonly step: number;
  /** Seeds this step's dropout / drop-connect masks, so a resumed run replays them. */
  readonly seed: number;
  readonly config: SandwichStepConfig;
  /**
   * Data-parallel training: `images` / `labels` are this rank's shard of the global batch. The
   * summed gradients of all subnets are averaged over the ranks before clipping and the SGD
   * step, so every rank's weights stay bit-identical; the returned losses are the ranks' mean.
   * A non-finite loss on any rank throws on every rank, after the losses are reduced.
   */
  readonly dataParallel?: DataParallel;
  /**
   * Awaited between subnets: the training loop lets the event loop run there, so a signal
   * handler (a second Ctrl-C) runs within one subnet's pass rather than after the whole step.
   */
  readonly betweenSubnets?: () => Promise<void>;
  /** Adds the step's wall time to `training` (the subnets' passes) and `optimizer` (clip, SGD). */
  readonly phases?: PhaseTimes;
}

/**
 * One sandwich step as in AttentiveNAS / AlphaNet: the largest subnet trains on label-smoothed
 * CE with dropout and drop-connect; its logits, detached, supervise the other subnets through
 * the distillation loss. Gradients accumulate over the subnets, are clipped by value, and one
 * SGD step follows. A non-finite loss throws before any weight changes.
 */
export async function sandwichStep(input: SandwichStepInput): Promise<SubnetLoss[]> {
  const { archs } = input;
  if (archs.length === 0) throw new RangeError('sandwichStep: no archs to train');
  const passes = new SandwichPasses(input);
  try {
    for (const [index, arch] of archs.entries()) {
      if (index > 0) await input.betweenSubnets?.();
      await passes.train(arch, roleOf(index, archs.length));
    }
    return await passes.finish();
  } finally {
    passes.dispose();
  }
}
