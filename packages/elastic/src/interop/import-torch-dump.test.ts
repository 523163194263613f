import * as tf from '@tensorflow/tfjs-core';
import { tinyWithKernels } from '../test-utils/elastic-fixtures.js';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { supernetFromTorchDump } from './import-torch-dump.js';
import { importTorchDumpFolder } from './import-torch-dump-folder.js';
import { type FakeTensor, makeTorchDump } from './test-utils/make-torch-dump.js';
import { TorchImportError } from './torch-import-error.js';

const depthwise = 'blocks.0.mobile_inverted_conv.depth_conv.conv.conv.weight';
const classifier = 'classifier.linear.linear.weight';

function catchError(run: () => unknown): TorchImportError {
  try {
    run();
  } catch (error) {
    if (error instanceof TorchImportError) return error;
    throw error;
  }
  throw new Error('expected a TorchImportError');
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('supernetFromTorchDump', () => {
  it('assigns every weight in tfjs layout', () => {
    const before = tf.memory().numTensors;
    const dump = makeTorchDump(tinyWithKernels, 10);
    const supernet = supernetFromTorchDump(dump);
    const entries = dump.manifest.tensors;
    const indexOf = (name: string) => entries.findIndex((entry) => entry.name === name);

    // Depthwise torch [C=16, 1, 5, 5] -> [5, 5, 16, 1]: tfjs [h, w, c, 0] is torch element c*25 + h*5 + w.
    const dw = supernet.variables.get(depthwise)!;
    expect(dw.shape).toEqual([5, 5, 16, 1]);
    const dwValues = dw.dataSync();
    const dwIndex = indexOf(depthwise);
    expect(dwValues[(2 * 5 + 3) * 16 + 7]).toBeCloseTo(dwIndex + (7 * 25 + 2 * 5 + 3) / 1000, 5);

    // Linear torch [10, 160] -> [160, 10]: tfjs [i, o] is torch element o * 160 + i.
    const linear = supernet.variables.get(classifier)!;
    expect(linear.shape).toEqual([160, 10]);
    expect(linear.dataSync()[5 * 10 + 3]).toBeCloseTo(
      indexOf(classifier) + (3 * 160 + 5) / 1000,
      5,
    );

    const variance = supernet.variables.get('first_conv.bn.bn.running_var')!;
    expect(Array.from(variance.dataSync()).slice(0, 2)).toEqual([
      Math.fround(indexOf('first_conv.bn.bn.running_var')),
      Math.fround(indexOf('first_conv.bn.bn.running_var') + 0.001),
    ]);
    expect(supernet.numClasses).toBe(10);
    expect(supernet.inputChannels).toBe(3);
    supernet.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('ignores the reference bn_tracking and num_batches_tracked buffers', () => {
    const dump = makeTorchDump(tinyWithKernels, 10, (tensors) => [
      ...tensors,
      {
        name: 'first_conv.bn.bn_tracking.0.running_mean',
        shape: [16],
        values: new Float32Array(16),
      },
      { name: 'first_conv.bn.bn.num_batches_tracked', shape: [], values: new Float32Array(1) },
    ]);
    const supernet = supernetFromTorchDump(dump);
    expect(supernet.variables.has('first_conv.bn.bn_tracking.0.running_mean')).toBe(false);
    supernet.dispose();
  });

  it('names a missing key', () => {
    const dump = makeTorchDump(tinyWithKernels, 10, (tensors) =>
      tensors.filter((t) => t.name !== depthwise),
    );
    const error = catchError(() => supernetFromTorchDump(dump));
    expect(error.problem).toBe('missing');
    expect(error.key).toBe(depthwise);
    expect(error.message).toContain(`missing key ${depthwise}`);
  });

  it('names an unexpected key', () => {
    const extra: FakeTensor = {
      name: 'blocks.99.shortcut.conv.conv.weight',
      shape: [2],
      values: new Float32Array(2),
    };
    const dump = makeTorchDump(tinyWithKernels, 10, (tensors) => [...tensors, extra]);
    const error = catchError(() => supernetFromTorchDump(dump));
    expect(error.problem).toBe('unexpected');
    expect(error.key).toBe(extra.name);
    expect(error.message).toContain('unexpected key blocks.99.shortcut.conv.conv.weight');
  });

  it('names a key whose shape does not fit the space, with both shapes', () => {
    const dump = makeTorchDump(tinyWithKernels, 10, (tensors) =>
      tensors.map((t) =>
        t.name === depthwise ? { ...t, shape: [16, 1, 3, 3], values: new Float32Array(16 * 9) } : t,
      ),
    );
    const error = catchError(() => supernetFromTorchDump(dump));
    expect(error.problem).toBe('shape');
    expect(error.key).toBe(depthwise);
    expect(error.expected).toEqual([5, 5, 16, 1]);
    expect(error.actual).toEqual([16, 1, 3, 3]);
    expect(error.message).toContain('PyTorch shape [16, 1, 3, 3]');
  });

  it('refuses a dump of another space, naming where it differs', () => {
    const dump = makeTorchDump(tinyWithKernels, 10);
    const other = { ...tinyWithKernels, resolutions: [32] };
    const error = catchError(() => supernetFromTorchDump(dump, { space: other }));
    expect(error.problem).toBe('space');
    expect(error.message).toContain('resolutions');
  });

  it('refuses a manifest of another format or with byte ranges past the data', () => {
    const dump = makeTorchDump(tinyWithKernels, 10);
    const wrongFormat = {
      ...dump,
      manifest: { ...dump.manifest, format: 'other' },
    } as unknown as typeof dump;
    expect(catchError(() => supernetFromTorchDump(wrongFormat)).problem).toBe('format');
    const short = { ...dump, data: new Uint8Array(16) };
    const error = catchError(() => supernetFromTorchDump(short));
    expect(error.problem).toBe('data');
    expect(error.message).toContain('the data has 16 bytes');
  });
});

describe('importTorchDumpFolder', () => {
  it('says which folder it could not read', async () => {
    await expect(importTorchDumpFolder('/nonexistent/dump')).rejects.toThrow(
      /cannot read the dump in \/nonexistent\/dump/,
    );
  });
});
