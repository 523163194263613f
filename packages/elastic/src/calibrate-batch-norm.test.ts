import type { ArchConfig } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrateBatchNorm } from './calibrate-batch-norm.js';
import { createSupernet, layoutOf } from './create-supernet.js';
import { disposeStaticSubnet } from './dispose-static-subnet.js';
import { ElasticOptionError } from './errors.js';
import { extractSubnet } from './extract-subnet.js';
import { planSubnet } from './subnet-plan.js';
import {
  randomBatch,
  randomizeBatchNorms,
  tinyWithKernels,
  useCpu,
} from './test-utils/elastic-fixtures.js';
import {
  type BatchStatistics,
  staticBatchStatistics,
} from './test-utils/static-batch-statistics.js';
import type { Supernet } from './types.js';

const arch: ArchConfig = {
  resolution: 24,
  width: [8, 16, 16, 24, 40, 128],
  depth: [1, 2, 2, 1],
  kernelSize: [3, 5, 3, 3],
  expandRatio: [1, 4, 3, 4],
};

/** Maps a static BN node (`blocks.<j>...bn`) to its shared running-mean name (`blocks.<i>...bn.bn`). */
function sharedPrefix(supernet: Supernet, node: string): string {
  const plan = planSubnet(layoutOf(supernet), arch);
  return `${node
    .replace(
      /^blocks\.(\d+)\./,
      (_, j: string) => `blocks.${plan.blocks[Number(j)]?.supernetBlock.index}.`,
    )
    .replace(/^last_conv\.0\./, 'last_conv.final_expand_layer.')}.bn`;
}

function snapshot(supernet: Supernet): Map<string, number[]> {
  const values = new Map<string, number[]>();
  for (const [name, variable] of supernet.variables) {
    if (name.endsWith('.running_mean') || name.endsWith('.running_var'))
      values.set(name, Array.from(variable.dataSync()));
  }
  return values;
}

describe('calibrateBatchNorm', () => {
  let supernet: Supernet;
  const batches: tf.Tensor4D[] = [];
  beforeAll(async () => {
    await useCpu();
    supernet = createSupernet(tinyWithKernels, { numClasses: 10, seed: 21 });
    randomizeBatchNorms(supernet, 22);
    for (let i = 0; i < 3; i++) batches.push(randomBatch([4, 24, 24, 3], 30 + i));
  });
  afterAll(() => {
    supernet.dispose();
    tf.dispose(batches);
  });

  it('sets the running statistics to the average batch mean and unbiased variance, slice only', async () => {
    // The expected statistics come from the static subnet run with training-mode BN.
    const subnet = extractSubnet(supernet, arch);
    const perBatch: BatchStatistics[] = batches.map((batch) =>
      staticBatchStatistics(subnet, batch),
    );
    disposeStaticSubnet(subnet);
    const before = snapshot(supernet);
    const tensors = tf.memory().numTensors;

    const result = await calibrateBatchNorm(supernet, arch, batches);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(result).toEqual({ batches: 3, layers: (perBatch[0] as BatchStatistics).size });

    const after = snapshot(supernet);
    const touched = new Set<string>();
    for (const [node, first] of perBatch[0] as BatchStatistics) {
      const prefix = sharedPrefix(supernet, node);
      const channels = first.mean.length;
      for (const [suffix, field] of [
        ['running_mean', 'mean'],
        ['running_var', 'unbiasedVariance'],
      ] as const) {
        const name = `${prefix}.${suffix}`;
        touched.add(name);
        const actual = after.get(name) as number[];
        const expected = first[field].map(
          (_, c) =>
            perBatch.reduce(
              (sum, statistics) => sum + (statistics.get(node)?.[field][c] as number),
              0,
            ) / 3,
        );
        actual.slice(0, channels).forEach((value, c) => {
          expect(value).toBeCloseTo(expected[c] as number, 4);
        });
        expect(actual.slice(channels), `${name} beyond the slice`).toEqual(
          (before.get(name) as number[]).slice(channels),
        );
      }
    }
    expect(touched.size).toBe(2 * result.layers);
    for (const [name, values] of before) {
      if (!touched.has(name)) expect(after.get(name), `${name} not in the subnet`).toEqual(values);
    }
  });

  it('averages over at most maxBatches of an async iterable', async () => {
    async function* stream() {
      for (const batch of batches) yield batch;
    }
    const result = await calibrateBatchNorm(supernet, arch, stream(), { maxBatches: 2 });
    expect(result.batches).toBe(2);
    const twice = snapshot(supernet);
    await calibrateBatchNorm(supernet, arch, batches.slice(0, 2));
    expect(snapshot(supernet)).toEqual(twice);
  });

  it('rejects no batches, a wrong resolution and a bad maxBatches, leaving nothing allocated', async () => {
    const tensors = tf.memory().numTensors;
    await expect(calibrateBatchNorm(supernet, arch, [])).rejects.toThrow(ElasticOptionError);
    const wrong = randomBatch([2, 32, 32, 3], 1);
    await expect(
      calibrateBatchNorm(supernet, arch, [batches[0] as tf.Tensor4D, wrong]),
    ).rejects.toThrow(/input is 32x32 but arch.resolution is 24/);
    wrong.dispose();
    await expect(calibrateBatchNorm(supernet, arch, batches, { maxBatches: 0 })).rejects.toThrow(
      /maxBatches is 0/,
    );
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
