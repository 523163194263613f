import type { Supernet } from '@supernas/elastic';
import { crossEntropyWithLabelSmoothing } from '@supernas/losses';
import type { ArchConfig } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { resizeBatch } from './sandwich-step.js';

export interface RankBatch {
  readonly images: tf.Tensor4D;
  readonly labels: tf.Tensor1D;
}

/**
 * The attentive sampler's default ranking: each candidate's cross-entropy on the current
 * mini-batch, without gradients, with batch statistics in BN as during training (as the
 * reference ranks candidates inside its training loop). Lower is better.
 *
 * `reduce`, in data-parallel training, combines the scores of every rank (the sum of each
 * candidate's loss over all ranks' shards), so every rank picks the same candidate.
 */
export function rankByMinibatchLoss(
  supernet: Supernet,
  currentBatch: () => RankBatch,
  reduce?: (scores: readonly number[]) => Promise<number[]>,
): (archs: readonly ArchConfig[]) => Promise<number[]> {
  return async (archs) => {
    const { images, labels } = currentBatch();
    const scores: number[] = [];
    for (const arch of archs) {
      const loss = tf.tidy(() => {
        const x = resizeBatch(images, arch.resolution);
        const logits = supernet.apply(x, arch, { training: true });
        return crossEntropyWithLabelSmoothing(logits, labels, { smoothing: 0 });
      });
      scores.push((await loss.data())[0]!);
      loss.dispose();
    }
    return reduce === undefined ? scores : reduce(scores);
  };
}
