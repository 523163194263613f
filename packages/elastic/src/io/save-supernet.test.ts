import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeCheckpoint } from './dispose-checkpoint.js';
import { loadCheckpoint } from './load-checkpoint.js';
import { saveSupernet } from './save-supernet.js';
import { fakeSupernet, snapshot } from './test-utils/fake-supernet.js';
import { memoryHandler } from './test-utils/memory-handler.js';

describe('saveSupernet', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('writes a supernas checkpoint model.json with the space, counts, step and checksum', async () => {
    const supernet = fakeSupernet(undefined, { numClasses: 7 });
    const handler = memoryHandler();
    await saveSupernet(supernet, handler, { step: 42, metadata: { epoch: 3, run: 'a' } });
    const stored = handler.stored as tf.io.ModelArtifacts;
    expect(stored.format).toBe('supernas-checkpoint');
    expect(stored.modelTopology).toMatchObject({
      format: 'supernas-checkpoint',
      formatVersion: 1,
      space: supernet.space,
      numClasses: 7,
      inputChannels: 3,
      step: 42,
      metadata: { epoch: 3, run: 'a' },
      optimizer: null,
      checksum: { algorithm: 'crc32', byteLength: (stored.weightData as ArrayBuffer).byteLength },
    });
    expect(stored.weightSpecs?.map((spec) => spec.name)).toEqual([...supernet.variables.keys()]);
    expect(stored.weightSpecs?.[0]).toEqual({
      name: 'first_conv.conv.weight',
      shape: [3, 3, 3, 16],
      dtype: 'float32',
    });
    supernet.dispose();
  });

  it('round-trips every weight bit for bit, leaking no tensors', async () => {
    const before = tf.memory().numTensors;
    const supernet = fakeSupernet(undefined, { seed: 4 });
    const handler = memoryHandler();
    await saveSupernet(supernet, handler);
    const checkpoint = await loadCheckpoint(handler);
    const loaded = Object.fromEntries(
      [...checkpoint.weights].map(([key, tensor]) => [key, Array.from(tensor.dataSync())]),
    );
    expect(loaded).toEqual(snapshot(supernet));
    expect(checkpoint.step).toBe(0);
    expect(checkpoint.optimizer).toBeUndefined();
    disposeCheckpoint(checkpoint);
    supernet.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stores optimizer state under supernet keys and frees only the tensors it was handed fresh', async () => {
    const supernet = fakeSupernet();
    const optimizer = tf.train.momentum(0.1, 0.9, true);
    const gradients = Object.fromEntries(
      [...supernet.variables.values()].map((variable) => [variable.name, tf.onesLike(variable)]),
    );
    optimizer.applyGradients(gradients);
    tf.dispose(Object.values(gradients));
    const before = tf.memory().numTensors;
    const handler = memoryHandler();
    await saveSupernet(supernet, handler, { optimizer, step: 1 });
    expect(tf.memory().numTensors).toBe(before);
    const topology = handler.stored?.modelTopology as {
      optimizer: { name: string; config: object; weights: string[] };
    };
    expect(topology.optimizer.name).toBe('Momentum');
    expect(topology.optimizer.config).toEqual({
      learningRate: 0.1,
      momentum: 0.9,
      useNesterov: true,
    });
    expect(topology.optimizer.weights).toEqual([
      'iter',
      ...[...supernet.variables.keys()].map((key) => `${key}/momentum`),
    ]);
    optimizer.dispose();
    supernet.dispose();
  });

  it('rejects a negative or fractional step', async () => {
    const supernet = fakeSupernet();
    await expect(saveSupernet(supernet, memoryHandler(), { step: 1.5 })).rejects.toThrow(
      /step is 1.5, expected a non-negative integer/,
    );
    supernet.dispose();
  });

  it('says how to get a file:// handler when none is registered', async () => {
    const supernet = fakeSupernet();
    await expect(saveSupernet(supernet, 'file:///tmp/nowhere')).rejects.toThrow(
      /registerFileSystemHandlers\(\)/,
    );
    supernet.dispose();
  });
});
