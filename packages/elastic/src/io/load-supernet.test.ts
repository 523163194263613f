import { attentivenasSpace, maxArch, tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSupernet } from '../create-supernet.js';
import type { Supernet } from '../types.js';
import { CheckpointError } from './checkpoint-error.js';
import type { CheckpointableOptimizer, OptimizerStateTensor } from './checkpoint-format.js';
import { loadSupernet, type SupernetFactory } from './load-supernet.js';
import { saveSupernet } from './save-supernet.js';
import { fakeSupernet, snapshot } from './test-utils/fake-supernet.js';
import { memoryHandler } from './test-utils/memory-handler.js';
import { randomizeVariables } from './test-utils/randomize-variables.js';

const createFake: SupernetFactory = (space, options) =>
  fakeSupernet(space, { ...options, seed: 99 });

/** One momentum step with fixed, per-variable gradients. */
function step(supernet: Supernet, optimizer: tf.Optimizer, scale: number): void {
  const gradients = Object.fromEntries(
    [...supernet.variables.values()].map((variable, index) => [
      variable.name,
      tf.tidy(() => tf.mul(tf.cos(tf.add(variable, index)), scale)),
    ]),
  );
  optimizer.applyGradients(gradients);
  tf.dispose(Object.values(gradients));
}

/** The shape of @supernas/trainer's Sgd: state keyed by supernet key, synchronous. */
class KeyedSgd implements CheckpointableOptimizer {
  buffers = new Map<string, tf.Variable>();
  getWeights(): OptimizerStateTensor[] {
    return [...this.buffers].map(([name, tensor]) => ({ name: `${name}/momentum`, tensor }));
  }
  setWeights(weights: OptimizerStateTensor[]): void {
    for (const { name, tensor } of weights)
      this.buffers.set(name.replace(/\/momentum$/, ''), tf.variable(tensor, false));
  }
  getConfig() {
    return { momentum: 0.9 };
  }
  dispose() {
    for (const buffer of this.buffers.values()) buffer.dispose();
  }
}

describe('loadSupernet', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('rebuilds the supernet and a Nesterov momentum optimizer so training continues bit for bit', async () => {
    const before = tf.memory().numTensors;
    const original = fakeSupernet(tinySpace, { numClasses: 4, seed: 1 });
    const optimizer = tf.train.momentum(0.05, 0.9, true);
    step(original, optimizer, 1);
    step(original, optimizer, 0.5);
    const handler = memoryHandler();
    await saveSupernet(original, handler, { optimizer, step: 2, metadata: { note: 'two steps' } });

    const restoredOptimizer = tf.train.momentum(0.05, 0.9, true);
    const loaded = await loadSupernet(handler, {
      createSupernet: createFake,
      optimizer: restoredOptimizer,
      space: tinySpace,
    });
    expect(loaded.step).toBe(2);
    expect(loaded.metadata).toEqual({ note: 'two steps' });
    expect(loaded.optimizer).toEqual({
      name: 'Momentum',
      config: { learningRate: 0.05, momentum: 0.9, useNesterov: true },
    });
    expect(loaded.supernet.numClasses).toBe(4);
    expect(snapshot(loaded.supernet)).toEqual(snapshot(original));
    expect(restoredOptimizer.iterations).toBe(2);

    // The momentum buffers came back under the new supernet's variable names, in order.
    step(original, optimizer, 0.25);
    step(loaded.supernet, restoredOptimizer, 0.25);
    expect(snapshot(loaded.supernet)).toEqual(snapshot(original));

    for (const disposable of [original, optimizer, loaded.supernet, restoredOptimizer])
      disposable.dispose();
    // tfjs' MomentumOptimizer.dispose leaves its learning-rate scalar behind: one per optimizer.
    expect(tf.memory().numTensors).toBe(before + 2);
  });

  it('restores a keyed optimizer under supernet keys', async () => {
    const before = tf.memory().numTensors;
    const original = fakeSupernet();
    const sgd = new KeyedSgd();
    const buffer = tf.fill([16], 0.5);
    sgd.setWeights([{ name: 'first_conv.bn.bias/momentum', tensor: buffer }]);
    buffer.dispose();
    const handler = memoryHandler();
    await saveSupernet(original, handler, { optimizer: sgd });
    const restored = new KeyedSgd();
    const loaded = await loadSupernet(handler, { createSupernet: createFake, optimizer: restored });
    expect([...restored.buffers.keys()]).toEqual(['first_conv.bn.bias']);
    expect(Array.from(restored.buffers.get('first_conv.bn.bias')?.dataSync() ?? [])).toEqual(
      new Array(16).fill(0.5),
    );
    for (const disposable of [original, sgd, loaded.supernet, restored]) disposable.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a checkpoint of another space, naming where it differs, and frees everything', async () => {
    const original = fakeSupernet(tinySpace);
    const handler = memoryHandler();
    await saveSupernet(original, handler);
    original.dispose();
    const before = tf.memory().numTensors;
    const error = await loadSupernet(handler, {
      createSupernet: createFake,
      space: attentivenasSpace,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toMatch(
      /space 'tiny' differs from the expected space 'attentivenas' at name/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects an optimizer of another class than the saved one', async () => {
    const original = fakeSupernet();
    const optimizer = tf.train.momentum(0.1, 0.9);
    step(original, optimizer, 1);
    const handler = memoryHandler();
    await saveSupernet(original, handler, { optimizer });
    const before = tf.memory().numTensors;
    const adam = tf.train.adam();
    await expect(
      loadSupernet(handler, { createSupernet: createFake, optimizer: adam }),
    ).rejects.toThrow(/state of optimizer 'Momentum', expected 'Adam'/);
    adam.dispose();
    expect(tf.memory().numTensors).toBe(before);
    original.dispose();
    optimizer.dispose();
  });

  it('rebuilds a createSupernet supernet whose every subnet computes what the saved one did', async () => {
    const before = tf.memory().numTensors;
    const original = createSupernet(tinySpace, { numClasses: 3, seed: 5 });
    randomizeVariables(original, 7);
    const handler = memoryHandler();
    await saveSupernet(original, handler, { step: 100 });
    const loaded = await loadSupernet(handler);
    expect(loaded.supernet.variables.size).toBe(original.variables.size);
    expect(snapshot(loaded.supernet)).toEqual(snapshot(original));
    const arch = { ...maxArch(tinySpace), resolution: 24 };
    const input = tf.randomNormal([2, 24, 24, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const expected = original.apply(input, arch, { training: false });
    const actual = loaded.supernet.apply(input, arch, { training: false });
    expect(Array.from(actual.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([input, expected, actual]);
    original.dispose();
    loaded.supernet.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
