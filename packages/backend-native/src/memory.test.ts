import { describeForBackends, seededTensor } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadAddon } from './load-addon.js';
import { setUpBackends } from './test-utils/backends.js';

const megabytes = (bytes: number) => bytes / (1024 * 1024);

/** Resident memory: oneDNN's allocations and the tensors' arrays both count here. */
function residentBytes(): number {
  return process.memoryUsage().rss;
}

describeForBackends(['native'], 'native memory', () => {
  beforeAll(async () => {
    await setUpBackends();
    await tf.setBackend('native');
  });
  afterAll(() => tf.setBackend('cpu'));

  it('stays bounded and leaks no tensors over thousands of convolution training steps', () => {
    const x = seededTensor([4, 10, 10, 8], 1) as tf.Tensor4D;
    const filter = seededTensor([3, 3, 8, 8], 2) as tf.Tensor4D;
    const depthwiseFilter = seededTensor([5, 5, 8, 1], 3) as tf.Tensor4D;
    const weights = seededTensor([8, 16], 4) as tf.Tensor2D;
    const step = () =>
      tf.tidy(() => {
        const gradients = tf.grads(
          (input: tf.Tensor, kernel: tf.Tensor, depthwise: tf.Tensor, dense: tf.Tensor) => {
            const convolved = tf.conv2d(input as tf.Tensor4D, kernel as tf.Tensor4D, 2, 'same');
            const spatial = tf.depthwiseConv2d(convolved, depthwise as tf.Tensor4D, 1, [
              [0, 0],
              [2, 2],
              [2, 2],
              [0, 0],
            ]);
            const pooled = tf.mean(tf.mul(spatial, tf.sigmoid(spatial)), [1, 2]);
            return tf.sum(tf.square(tf.matMul(pooled, dense as tf.Tensor2D)));
          },
        )([x, filter, depthwiseFilter, weights]);
        return tf.addN(gradients.map((gradient) => tf.sum(gradient)));
      });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 300; i += 1) step().dispose();
    const baseline = residentBytes();
    for (let i = 0; i < 3000; i += 1) step().dispose();
    const growth = megabytes(residentBytes() - baseline);
    expect(tf.memory().numTensors).toBe(before);
    expect(growth).toBeLessThan(64);
    tf.dispose([x, filter, depthwiseFilter, weights]);
  });

  it('bounds its primitive caches when shapes keep changing', () => {
    const loaded = loadAddon();
    if (!('addon' in loaded)) throw new Error(loaded.reason);
    const before = tf.memory().numTensors;
    for (let size = 1; size <= 600; size += 1) {
      tf.tidy(() => {
        const x = tf.fill([1, 3, 3, size], 0.5) as tf.Tensor4D;
        return tf.sigmoid(
          tf.depthwiseConv2d(x, tf.fill([3, 3, size, 1], 0.1) as tf.Tensor4D, 1, 'same'),
        );
      }).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    // 256 per convolution direction, 256 eltwise, 128 pooling (native/*.cc).
    expect(loaded.addon.cacheSize()).toBeLessThanOrEqual(256 * 3 + 256 + 128);
    expect(loaded.addon.cacheSize()).toBeGreaterThan(0);
  });
});
