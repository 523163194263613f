import * as tf from '@tensorflow/tfjs-core';
import { EvaluatorOptionError } from './errors.js';
import { type LatencyStats, latencyStats } from './latency-stats.js';
import type { SubnetRunner } from './subnet-runner.js';

export interface MeasureLatencyOptions {
  /** Untimed runs first (shader compilation, weight upload). Default 3. */
  readonly warmup?: number;
  /** Timed runs. Default 10. */
  readonly runs?: number;
  /** Images per forward pass. Default 1. */
  readonly batch?: number;
  /** Called after each timed run with (done, total), for progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface LatencyMeasurement extends LatencyStats {
  readonly backend: string;
  readonly batch: number;
  readonly warmup: number;
}

function checkCount(option: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum)
    throw new EvaluatorOptionError(option, value, `an integer >= ${minimum}`);
}

/**
 * Times forward passes of a subnet on the active backend. Each run is timed until its logits are
 * read back (`await data()`), so GPU backends are measured to completion, not to the queueing of
 * their work. Returns the median and spread over `runs`; no tensors are left behind.
 */
export async function measureLatency(
  runner: SubnetRunner,
  options: MeasureLatencyOptions = {},
): Promise<LatencyMeasurement> {
  const warmup = options.warmup ?? 3;
  const runs = options.runs ?? 10;
  const batch = options.batch ?? 1;
  checkCount('warmup', warmup, 0);
  checkCount('runs', runs, 1);
  checkCount('batch', batch, 1);
  const images = tf.randomUniform(
    [batch, ...runner.inputShape],
    -1,
    1,
    'float32',
    1,
  ) as tf.Tensor4D;
  // Upload before timing: the first read of a fresh tensor on a GPU backend includes the copy.
  await images.data();
  const times: number[] = [];
  try {
    for (let index = 0; index < warmup + runs; index++) {
      const start = performance.now();
      const logits = runner.run(images);
      try {
        await logits.data();
      } finally {
        logits.dispose();
      }
      const elapsed = performance.now() - start;
      if (index >= warmup) {
        times.push(elapsed);
        options.onProgress?.(times.length, runs);
      }
    }
  } finally {
    images.dispose();
  }
  return { ...latencyStats(times), backend: tf.getBackend(), batch, warmup };
}
