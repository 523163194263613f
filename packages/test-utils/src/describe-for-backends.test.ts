import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import {
  backendSkipReason,
  describeForBackends,
  registerTestBackend,
} from './describe-for-backends.js';
import { expectClose } from './expect-close.js';

const seen: string[] = [];

describeForBackends(['cpu', 'wasm'], 'describeForBackends', (backendName) => {
  it('makes the named backend the active one', () => {
    seen.push(backendName);
    expect(tf.getBackend()).toBe(backendName);
  });

  it('runs tfjs ops on it', async () => {
    const result = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.eye(2)));
    expectClose(await result.data(), [1, 2, 3, 4], { rtol: 0, atol: 0 });
    result.dispose();
  });
});

registerTestBackend({
  name: 'unloadable',
  unavailableReason: () => 'it exists only in this test',
  setUp: async () => {
    throw new Error('never set up');
  },
  requirement: 'webgpu',
});

describe('backendSkipReason', () => {
  it('skips a backend that cannot load when SUPERNAS_REQUIRE does not name it', () => {
    vi.stubEnv('SUPERNAS_REQUIRE', '');
    expect(backendSkipReason('unloadable')).toBe('it exists only in this test');
    expect(backendSkipReason('cpu')).toBeUndefined();
    vi.unstubAllEnvs();
  });
});

describe('describeForBackends on a required backend that cannot load', () => {
  it('fails instead of skipping', () => {
    vi.stubEnv('SUPERNAS_REQUIRE', 'webgpu');
    expect(() => describeForBackends(['unloadable'], 'x', () => {})).toThrow(
      "SUPERNAS_REQUIRE includes 'webgpu', but it is missing here: it exists only in this test",
    );
    vi.unstubAllEnvs();
  });
});

describe('describeForBackends', () => {
  it('registered one suite per backend, in order', () => {
    expect(seen).toEqual(['cpu', 'wasm']);
  });

  it('rejects a backend nobody registered', () => {
    expect(() => describeForBackends(['tpu'], 'x', () => {})).toThrow(
      "describeForBackends: no test backend 'tpu' is registered (registered: cpu, wasm, unloadable)",
    );
  });
});
