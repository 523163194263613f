import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, CorruptWeightsError } from './checkpoint-error.js';
import { loadCheckpoint } from './load-checkpoint.js';
import { saveSupernet } from './save-supernet.js';
import { fakeSupernet } from './test-utils/fake-supernet.js';
import { type MemoryHandler, memoryHandler } from './test-utils/memory-handler.js';

async function savedHandler(): Promise<MemoryHandler> {
  const supernet = fakeSupernet();
  const handler = memoryHandler();
  await saveSupernet(supernet, handler, { step: 5 });
  supernet.dispose();
  return handler;
}

function editTopology(
  handler: MemoryHandler,
  edit: (topology: Record<string, unknown>) => void,
): void {
  edit((handler.stored as tf.io.ModelArtifacts).modelTopology as Record<string, unknown>);
}

describe('loadCheckpoint', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('rejects a model.json that is not a supernas checkpoint, naming its format', async () => {
    const handler = memoryHandler();
    handler.stored = {
      modelTopology: { class_name: 'Sequential' },
      format: 'layers-model',
      weightSpecs: [],
      weightData: new ArrayBuffer(0),
    };
    const error = await loadCheckpoint(handler).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toMatch(
      /has format 'layers-model', expected 'supernas-checkpoint'/,
    );
  });

  it('rejects another format version, naming it', async () => {
    const handler = await savedHandler();
    editTopology(handler, (topology) => {
      topology.formatVersion = 2;
    });
    await expect(loadCheckpoint(handler)).rejects.toThrow(/has formatVersion 2, expected 1/);
  });

  it('rejects truncated weights with the byte counts, allocating nothing', async () => {
    const handler = await savedHandler();
    const stored = handler.stored as tf.io.ModelArtifacts;
    const bytes = stored.weightData as ArrayBuffer;
    stored.weightData = bytes.slice(0, bytes.byteLength - 4);
    const before = tf.memory().numTensors;
    const error = await loadCheckpoint(handler).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CorruptWeightsError);
    expect((error as Error).message).toMatch(
      new RegExp(`are ${bytes.byteLength - 4} bytes, expected ${bytes.byteLength}`),
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects weights whose bytes changed, by checksum', async () => {
    const handler = await savedHandler();
    const bytes = new Uint8Array(
      (handler.stored as tf.io.ModelArtifacts).weightData as ArrayBuffer,
    );
    bytes[17] = (bytes[17] as number) ^ 0x40;
    await expect(loadCheckpoint(handler)).rejects.toThrow(
      /have CRC-32 [0-9a-f]{8}, expected [0-9a-f]{8}/,
    );
  });

  it('rejects a manifest that does not list the weights the topology names', async () => {
    const handler = await savedHandler();
    const specs = (handler.stored as tf.io.ModelArtifacts)
      .weightSpecs as tf.io.WeightsManifestEntry[];
    [specs[0], specs[1]] = [
      specs[1] as tf.io.WeightsManifestEntry,
      specs[0] as tf.io.WeightsManifestEntry,
    ];
    await expect(loadCheckpoint(handler)).rejects.toThrow(CheckpointError);
  });

  it('rejects a negative class count', async () => {
    const handler = await savedHandler();
    editTopology(handler, (topology) => {
      topology.numClasses = -3;
    });
    await expect(loadCheckpoint(handler)).rejects.toThrow(
      /numClasses -3, expected an integer >= 1/,
    );
  });
});
