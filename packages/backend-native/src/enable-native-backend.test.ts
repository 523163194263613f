import { describeForBackends } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  enableNativeBackend,
  getNativeKernelStats,
  InvalidNativeOptionError,
  isNativeAvailable,
  nativeBackendName,
  nativeUnavailableReason,
  resetNativeKernelStats,
} from './index.js';
import { setUpBackends } from './test-utils/backends.js';

describeForBackends(['native'], 'enableNativeBackend', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  it('registers a backend named native that tfjs can select', async () => {
    const info = enableNativeBackend();
    expect(info.backendName).toBe('native');
    expect(nativeBackendName).toBe('native');
    expect(await tf.setBackend('native')).toBe(true);
    expect(tf.getBackend()).toBe('native');
    expect(info.onednn).toMatch(/^\d+\.\d+\.\d+$/);
    expect(info.threads).toBeGreaterThanOrEqual(1);
  });

  it('overrides the heavy kernels and keeps every other cpu kernel', () => {
    const { nativeKernels } = enableNativeBackend();
    expect(nativeKernels).toEqual(
      expect.arrayContaining(['Conv2D', 'Conv2DBackpropFilter', 'BatchMatMul', 'Sum']),
    );
    const cpuKernels = tf.getKernelsForBackend('cpu').map((config) => config.kernelName);
    const nativeRegistered = new Set(
      tf.getKernelsForBackend('native').map((config) => config.kernelName),
    );
    expect(cpuKernels.filter((name) => !nativeRegistered.has(name))).toEqual([]);
  });

  it('runs kernels it does not override through the cpu implementation', async () => {
    await tf.setBackend('native');
    const result = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3).arraySync());
    expect(result).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
  });

  it('falls back to the cpu kernel for dtypes it does not handle and counts both paths', async () => {
    await tf.setBackend('native');
    resetNativeKernelStats();
    const sums = tf.tidy(() => [
      tf.add(tf.tensor1d([1, 2], 'int32'), tf.tensor1d([3, 4], 'int32')).arraySync(),
      tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).arraySync(),
    ]);
    expect(sums).toEqual([
      [4, 6],
      [4, 6],
    ]);
    expect(getNativeKernelStats()).toEqual({ native: { Add: 1 }, fallback: { Add: 1 } });
  });

  it('is idempotent and applies threads on later calls', () => {
    const first = enableNativeBackend();
    const second = enableNativeBackend({ threads: first.threads });
    expect(second).toEqual(first);
  });

  it('registers the backend again after tf.removeBackend', async () => {
    tf.removeBackend('native');
    expect(tf.findBackendFactory('native')).toBeNull();
    enableNativeBackend();
    expect(await tf.setBackend('native')).toBe(true);
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1.5]), tf.tensor1d([2])).arraySync());
    expect(sum).toEqual([3.5]);
  });

  it('rejects a thread count that is not a positive integer', () => {
    expect(() => enableNativeBackend({ threads: 0 })).toThrow(InvalidNativeOptionError);
    expect(() => enableNativeBackend({ threads: 1.5 })).toThrow(
      /threads must be an integer >= 1, but got 1.5/,
    );
  });

  it('reports availability consistently', () => {
    expect(isNativeAvailable()).toBe(true);
    expect(nativeUnavailableReason()).toBeUndefined();
  });
});
