import { describeForBackends } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { useBackend } from './test-utils/backend-gradients.js';
import { setUpBackends } from './test-utils/set-up-backends.js';

describeForBackends(['wasm'], 'createIdentity', () => {
  beforeAll(async () => {
    await setUpBackends();
    await useBackend('wasm');
  });

  it('shares the input data instead of copying it', () => {
    const source = tf.tensor([[1, 2, 3]]);
    const copy = tf.clone(source);
    expect(copy.dataId).toBe(source.dataId);
    expect(copy.shape).toEqual([1, 3]);
    source.dispose();
    copy.dispose();
  });

  it('keeps the data alive until the last tensor sharing it is disposed', () => {
    const before = tf.memory().numTensors;
    const source = tf.tensor([4, 5, 6], [3], 'int32');
    const copy = tf.clone(source);
    source.dispose();
    expect(Array.from(copy.dataSync())).toEqual([4, 5, 6]);
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps a saved activation intact when a variable it came from is updated', () => {
    const weights = tf.tidy(() => tf.variable(tf.tensor([1, 2])));
    const gradient = tf.tidy(() => {
      const loss = () => tf.sum(tf.mul(weights, weights)) as tf.Scalar;
      const { grads } = tf.variableGrads(loss);
      weights.assign(tf.tensor([10, 20]));
      return grads[weights.name]!;
    });
    expect(Array.from(gradient.dataSync())).toEqual([2, 4]);
    expect(Array.from(weights.dataSync())).toEqual([10, 20]);
    gradient.dispose();
    weights.dispose();
  });
});
