import type { Supernet } from '@supernas/elastic';
import { minArch, tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvaluatorOptionError } from './errors.js';
import { measureLatency } from './measure-latency.js';
import { supernetArchRunner } from './supernet-runner.js';
import { tinySupernet, useCpu } from './test-utils/exported-run.js';

describe('measureLatency', () => {
  let supernet: Supernet;
  beforeAll(async () => {
    await useCpu();
    supernet = tinySupernet();
  });
  afterAll(() => supernet.dispose());

  it('times every run to the read-back of its logits and leaves no tensors', async () => {
    const runner = supernetArchRunner(supernet, minArch(tinySpace));
    const shapes: number[][] = [];
    const counted = {
      inputShape: runner.inputShape,
      run: (images: tf.Tensor4D) => {
        shapes.push(images.shape);
        return runner.run(images);
      },
    };
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const stats = await measureLatency(counted, {
      warmup: 2,
      runs: 5,
      batch: 3,
      onProgress: (done) => progress.push(done),
    });
    expect(tf.memory().numTensors).toBe(before);
    runner.dispose();
    expect(shapes).toHaveLength(7);
    expect(shapes[0]).toEqual([3, 24, 24, 1]);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect(stats).toMatchObject({ backend: 'cpu', batch: 3, warmup: 2, runs: 5 });
    expect(stats.minMs).toBeGreaterThan(0);
    expect(stats.minMs).toBeLessThanOrEqual(stats.p25Ms);
    expect(stats.p25Ms).toBeLessThanOrEqual(stats.medianMs);
    expect(stats.medianMs).toBeLessThanOrEqual(stats.p75Ms);
    expect(stats.p75Ms).toBeLessThanOrEqual(stats.maxMs);
  });

  it('rejects zero runs', async () => {
    const runner = supernetArchRunner(supernet, minArch(tinySpace));
    try {
      await expect(measureLatency(runner, { runs: 0 })).rejects.toThrow(EvaluatorOptionError);
    } finally {
      runner.dispose();
    }
  });
});
