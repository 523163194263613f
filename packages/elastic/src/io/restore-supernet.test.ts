import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Supernet } from '../types.js';
import { CheckpointError } from './checkpoint-error.js';
import type { Checkpoint } from './checkpoint-format.js';
import { disposeCheckpoint } from './dispose-checkpoint.js';
import { loadCheckpoint } from './load-checkpoint.js';
import { restoreSupernet } from './restore-supernet.js';
import { saveSupernet } from './save-supernet.js';
import { fakeSupernet, snapshot } from './test-utils/fake-supernet.js';
import { memoryHandler } from './test-utils/memory-handler.js';

async function checkpointOf(supernet: Supernet): Promise<Checkpoint> {
  const handler = memoryHandler();
  await saveSupernet(supernet, handler);
  return loadCheckpoint(handler);
}

/** The checkpoint of a throwaway fake supernet. */
async function freshCheckpoint(
  options: Parameters<typeof fakeSupernet>[1] = {},
): Promise<Checkpoint> {
  const supernet = fakeSupernet(undefined, options);
  try {
    return await checkpointOf(supernet);
  } finally {
    supernet.dispose();
  }
}

describe('restoreSupernet', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('copies the values into the variables; the checkpoint keeps its own tensors', async () => {
    const source = fakeSupernet(undefined, { seed: 1 });
    const target = fakeSupernet(undefined, { seed: 2 });
    const checkpoint = await checkpointOf(source);
    restoreSupernet(target, checkpoint);
    disposeCheckpoint(checkpoint);
    expect(snapshot(target)).toEqual(snapshot(source));
    source.dispose();
    target.dispose();
  });

  it('rejects another class count and assigns nothing', async () => {
    const checkpoint = await freshCheckpoint({ numClasses: 10 });
    const target = fakeSupernet(undefined, { numClasses: 5, seed: 3 });
    const values = snapshot(target);
    expect(() => restoreSupernet(target, checkpoint)).toThrow(/numClasses 10, expected 5/);
    expect(snapshot(target)).toEqual(values);
    disposeCheckpoint(checkpoint);
    target.dispose();
  });

  it('names missing and unexpected weights', async () => {
    const checkpoint = await freshCheckpoint();
    const target = fakeSupernet();
    const renamed = new Map(
      [...target.variables].map(([key, variable]) => [key.replace('classifier', 'head'), variable]),
    );
    const error = (() => {
      try {
        restoreSupernet({ ...target, variables: renamed }, checkpoint);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toMatch(
      /missing from the checkpoint \[head.linear.weight, head.linear.bias\], not in the supernet \[classifier.linear.weight, classifier.linear.bias\]/,
    );
    disposeCheckpoint(checkpoint);
    target.dispose();
  });

  it('names a weight whose shape differs', async () => {
    const checkpoint = await freshCheckpoint({ inputChannels: 3 });
    const target = fakeSupernet(undefined, { inputChannels: 3 });
    const variables = new Map(target.variables);
    const wrong = tf.variable(tf.zeros([3, 3, 3, 8]), true, 'wrong-shape');
    variables.set('first_conv.conv.weight', wrong);
    expect(() => restoreSupernet({ ...target, variables }, checkpoint)).toThrow(
      /weight 'first_conv.conv.weight' is float32\[3, 3, 3, 16\] in the checkpoint, expected float32\[3, 3, 3, 8\]/,
    );
    wrong.dispose();
    disposeCheckpoint(checkpoint);
    target.dispose();
  });
});
