import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { SupernasError } from '@supernas/errors';
import { beforeAll, describe, expect, it } from 'vitest';
import { localCollective } from '../local-collective.js';
import { twoRankFake } from '../test-utils/two-rank-fake.js';
import { allreduceGradients } from './allreduce-gradients.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function gradients(): tf.NamedTensorMap {
  return {
    'stage.conv.weight': tf.tensor4d(
      Array.from({ length: 24 }, (_, i) => i - 7.5),
      [2, 2, 2, 3],
    ),
    'head.bias': tf.tensor1d([0.25, -4, 9]),
    'a.weight': tf.tensor2d([1, 2, 3, 4, 5], [5, 1]),
  };
}

describe('allreduceGradients', () => {
  it('averages every tensor over the ranks, split back to its name and shape', async () => {
    const input = gradients();
    const before = tf.memory().numTensors;
    // The other rank holds 1 everywhere: the mean of x and 1 at every position.
    const collective = twoRankFake({ other: () => 1 });
    const averaged = await allreduceGradients(input, collective, { bucketBytes: 4 * 10 });
    expect(Object.keys(averaged).sort()).toEqual(Object.keys(input).sort());
    for (const [name, tensor] of Object.entries(input)) {
      expect(averaged[name]!.shape).toEqual(tensor.shape);
      const expected = Array.from(tensor.dataSync(), (value) => Math.fround((value + 1) / 2));
      expect(Array.from(averaged[name]!.dataSync())).toEqual(expected);
    }
    // Sorted names, packed greedily into buckets of 10 floats: [a.weight 5, head.bias 3], [conv 24].
    expect(collective.calls).toEqual(['allgather 3', 'allreduce mean 8', 'allreduce mean 24']);
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose([...Object.values(averaged), ...Object.values(input)]);
  });

  it('returns equal copies on a job of one, leaving the inputs alone', async () => {
    const input = gradients();
    const result = await allreduceGradients(input, localCollective());
    for (const [name, tensor] of Object.entries(input)) {
      expect(result[name]).not.toBe(tensor);
      expect(Array.from(result[name]!.dataSync())).toEqual(Array.from(tensor.dataSync()));
      expect(tensor.isDisposed).toBe(false);
    }
    tf.dispose([...Object.values(result), ...Object.values(input)]);
  });

  it('refuses to reduce when another rank holds different tensors', async () => {
    const input = gradients();
    const collective = twoRankFake({
      otherGather: (mine) => Float64Array.from([123, 2, (mine as Float64Array)[2]! - 3]),
    });
    const error = await allreduceGradients(input, collective).catch((caught) => caught);
    expect(SupernasError.hasCode(error, 'collective_state')).toBe(true);
    expect(error.message).toBe(
      'allreduceGradients: the ranks hold different tensors (rank 0 has 3 tensors of 32 elements; rank 1 has 2 tensors of 29 elements); every rank must reduce the same names and shapes in the same step',
    );
    expect(collective.calls).toEqual(['allgather 3']);
    tf.dispose(Object.values(input));
  });

  it('rejects non-float32 gradients and bad bucket sizes, naming them', async () => {
    const ints = { steps: tf.tensor1d([1, 2], 'int32') };
    await expect(allreduceGradients(ints, localCollective())).rejects.toThrow(
      "allreduceGradients: gradients['steps'] must be a float32 tensor, but got 'int32'",
    );
    await expect(allreduceGradients(ints, localCollective(), { bucketBytes: 2.5 })).rejects.toThrow(
      'allreduceGradients: bucketBytes must be an integer number of bytes >= 4',
    );
    tf.dispose(Object.values(ints));
  });
});
