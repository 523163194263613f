import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { twoRankFake } from '../test-utils/two-rank-fake.js';
import { broadcastVariables } from './broadcast-variables.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('broadcastVariables', () => {
  it("overwrites a non-root rank's variables with the root's, in name order", async () => {
    const variables = new Map([
      ['b.weight', tf.variable(tf.zeros([2, 2]))],
      ['a.bias', tf.variable(tf.zeros([3]))],
    ]);
    const before = tf.memory().numTensors;
    // The root's flat buffer holds 100 + its index: a.bias first, then b.weight.
    const collective = twoRankFake({ rank: 1, other: (index) => 100 + index });
    await broadcastVariables(variables, collective, 0, { bucketBytes: 16 });
    expect(Array.from(variables.get('a.bias')!.dataSync())).toEqual([100, 101, 102]);
    expect(Array.from(variables.get('b.weight')!.dataSync())).toEqual([100, 101, 102, 103]);
    expect(collective.calls).toEqual(['allgather 3', 'broadcast 0 3', 'broadcast 0 4']);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...variables.values()]);
  });

  it('leaves the root rank variables as they are', async () => {
    const variables = { kernel: tf.variable(tf.tensor1d([1, 2, 3])) };
    await broadcastVariables(variables, twoRankFake({ rank: 0, other: () => -1 }), 0);
    expect(Array.from(variables.kernel.dataSync())).toEqual([1, 2, 3]);
    variables.kernel.dispose();
  });
});
