import type { DataParallel as TrainerDataParallel } from '@supernas/trainer';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { localCollective } from '../local-collective.js';
import { twoRankFake } from '../test-utils/two-rank-fake.js';
import { dataParallel } from './data-parallel.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('dataParallel', () => {
  it('averages losses and sums candidate losses over the ranks', async () => {
    // The other rank holds 3 at every position.
    const parallel = dataParallel(twoRankFake({ other: () => 3 }));
    expect([parallel.rank, parallel.size]).toEqual([0, 2]);
    expect(await parallel.reduceLosses([1, 5])).toEqual([2, 4]);
    expect(await parallel.reduceCandidateLosses([0.5, 1])).toEqual([3.5, 4]);
  });

  it('stops every rank when any rank asks', async () => {
    expect(await dataParallel(twoRankFake({ other: () => 1 })).anyRank(false)).toBe(true);
    expect(await dataParallel(twoRankFake({ other: () => 0 })).anyRank(false)).toBe(false);
    expect(await dataParallel(twoRankFake({ other: () => 0 })).anyRank(true)).toBe(true);
  });

  it('is what the trainer takes as dataParallel (the trainer declares the shape itself)', async () => {
    // A compile error here means the two declarations drifted apart.
    const parallel: TrainerDataParallel = dataParallel(localCollective());
    expect([parallel.rank, parallel.size]).toEqual([0, 1]);
    expect(await parallel.reduceLosses([1.5])).toEqual([1.5]);
  });

  it('averages gradients into new tensors', async () => {
    const parallel = dataParallel(twoRankFake({ other: () => 1 }));
    const gradient = tf.tensor1d([3, -1]);
    const { weight } = await parallel.reduceGradients({ weight: gradient });
    expect(Array.from(weight!.dataSync())).toEqual([2, 0]);
    tf.dispose([gradient, weight!]);
  });
});
