import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeBackends, useBackend } from './backends.js';
import { BackendUnavailableError } from './errors.js';
import { pickBackend } from './pick-backend.js';
import { useCpu } from './test-utils/exported-run.js';

describe('probeBackends', () => {
  beforeAll(useCpu);

  it('reports registered backends as available and the others as not registered', async () => {
    const infos = await probeBackends(['webgpu', 'cpu']);
    expect(infos[0]).toMatchObject({ name: 'webgpu', registered: false, available: false });
    expect(infos[0]!.reason).toMatch(/not registered/);
    expect(infos[1]).toMatchObject({ name: 'cpu', registered: true, available: true });
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('useBackend', () => {
  it('fails with the available backends named when asked for one that is not registered', async () => {
    const error = await useBackend('webgl').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as BackendUnavailableError).code).toBe('backend_unavailable');
    expect((error as Error).message).toMatch(/backend 'webgl' is not available.*available: .*cpu/);
  });
});

describe('pickBackend', () => {
  beforeAll(useCpu);

  it('fails when a forced backend is unavailable', async () => {
    await expect(
      pickBackend(
        async () => ({ inputShape: [1, 1, 1], run: () => tf.zeros([1, 1]), dispose() {} }),
        {
          force: 'webgpu',
        },
      ),
    ).rejects.toThrow(/backend 'webgpu' is not available.*available: cpu/);
  });

  it('times each available backend and keeps the fastest active', async () => {
    const choice = await pickBackend(
      async () => {
        const weight = tf.randomNormal([16, 4], 0, 1, 'float32', 1);
        return {
          inputShape: [4, 4, 1],
          run: (images) => tf.tidy(() => tf.matMul(tf.reshape(images, [-1, 16]), weight)),
          dispose: () => weight.dispose(),
        };
      },
      { backends: ['webgl', 'cpu'], runs: 3, warmup: 1 },
    );
    expect(choice.backend).toBe('cpu');
    expect(choice.timings.map((timing) => timing.backend.name)).toEqual(['webgl', 'cpu']);
    expect(choice.timings[0]!.error).toMatch(/not registered/);
    expect(choice.timings[1]!.latency!.runs).toBe(3);
    expect(choice.reason).toMatch(/^fastest median latency here: cpu \d+\.\d\d ms$/);
  });
});
