import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { disposeStaticSubnet } from '../dispose-static-subnet.js';
import { exportGraphModel } from '../export/export-graph-model.js';
import { fixtureSubnet } from '../export/test-utils/fixture-subnet.js';
import { referenceRun } from '../export/test-utils/reference-run.js';
import { relativeError } from '../export/test-utils/relative-error.js';
import { CorruptWeightsError } from './checkpoint-error.js';
import { disposeCheckpoint } from './dispose-checkpoint.js';
import { fileSystemHandler, ModelFileError } from './file-system-handler.js';
import { loadCheckpoint } from './load-checkpoint.js';
import { saveSupernet } from './save-supernet.js';
import { fakeSupernet, snapshot } from './test-utils/fake-supernet.js';

describe('fileSystemHandler', () => {
  let directory: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'supernas-io-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('saves a checkpoint as model.json plus one weights file and loads it back bit for bit', async () => {
    const supernet = fakeSupernet(undefined, { seed: 8 });
    const target = join(directory, 'run', 'checkpoint');
    await saveSupernet(supernet, fileSystemHandler(target), { step: 3 });
    const files = (await readdir(target)).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toBe('model.json');
    expect(files[1]).toMatch(/^weights\.[0-9a-f]{16}\.bin$/);
    const modelJson = JSON.parse(await readFile(join(target, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('supernas-checkpoint');
    expect(modelJson.weightsManifest[0].paths).toEqual([files[1]]);
    const checkpoint = await loadCheckpoint(fileSystemHandler(join(target, 'model.json')));
    expect(
      Object.fromEntries(
        [...checkpoint.weights].map(([key, tensor]) => [key, Array.from(tensor.dataSync())]),
      ),
    ).toEqual(snapshot(supernet));
    expect(checkpoint.step).toBe(3);
    disposeCheckpoint(checkpoint);
    supernet.dispose();
  });

  it('replaces a checkpoint and removes the weights file it no longer needs', async () => {
    const first = fakeSupernet(undefined, { seed: 1 });
    const second = fakeSupernet(undefined, { seed: 2 });
    await saveSupernet(first, fileSystemHandler(directory), { step: 1 });
    await saveSupernet(second, fileSystemHandler(directory), { step: 2 });
    const files = await readdir(directory);
    expect(files.filter((file) => file.endsWith('.bin'))).toHaveLength(1);
    expect(files.filter((file) => file.includes('partial'))).toEqual([]);
    const checkpoint = await loadCheckpoint(fileSystemHandler(directory));
    expect(checkpoint.step).toBe(2);
    expect(Array.from(checkpoint.weights.get('classifier.linear.bias')?.dataSync() ?? [])).toEqual(
      snapshot(second)['classifier.linear.bias'],
    );
    disposeCheckpoint(checkpoint);
    first.dispose();
    second.dispose();
  });

  it('leaves the previous checkpoint intact, and no stray files, when a save fails', async () => {
    const supernet = fakeSupernet();
    await saveSupernet(supernet, fileSystemHandler(directory), { step: 1 });
    const filesBefore = (await readdir(directory)).sort();
    const modelBefore = await readFile(join(directory, 'model.json'), 'utf8');
    // A topology JSON cannot encode fails after the new weights file was written.
    const failing = fileSystemHandler(directory).save?.({
      modelTopology: { count: BigInt(1) },
      weightSpecs: [{ name: 'x', shape: [2], dtype: 'float32' }],
      weightData: new Float32Array([1, 2]).buffer,
    });
    await expect(failing).rejects.toThrow(/BigInt/);
    expect((await readdir(directory)).sort()).toEqual(filesBefore);
    expect(await readFile(join(directory, 'model.json'), 'utf8')).toBe(modelBefore);
    const checkpoint = await loadCheckpoint(fileSystemHandler(directory));
    expect(checkpoint.step).toBe(1);
    disposeCheckpoint(checkpoint);
    supernet.dispose();
  });

  it('rejects a truncated weights file with both byte counts', async () => {
    const supernet = fakeSupernet();
    await saveSupernet(supernet, fileSystemHandler(directory));
    supernet.dispose();
    const weightsFile = (await readdir(directory)).find((file) => file.endsWith('.bin')) as string;
    await truncate(join(directory, weightsFile), 100);
    const error = await fileSystemHandler(directory)
      .load?.()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CorruptWeightsError);
    expect((error as Error).message).toMatch(/has 100 bytes, expected \d+/);
  });

  it('names the weights file whose bytes changed when a checkpoint fails its checksum', async () => {
    const supernet = fakeSupernet();
    await saveSupernet(supernet, fileSystemHandler(directory));
    supernet.dispose();
    const weightsFile = (await readdir(directory)).find((file) => file.endsWith('.bin')) as string;
    const bytes = await readFile(join(directory, weightsFile));
    bytes[17] = (bytes[17] as number) ^ 0x40;
    await writeFile(join(directory, weightsFile), bytes);
    const error = await loadCheckpoint(fileSystemHandler(directory)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CorruptWeightsError);
    expect((error as Error).message).toContain(
      `the weights of ${join(directory, weightsFile)} (named by ${join(directory, 'model.json')}) have CRC-32`,
    );
  });

  it('refuses weights paths outside the model directory', async () => {
    await writeFile(
      join(directory, 'model.json'),
      JSON.stringify({
        modelTopology: {},
        weightsManifest: [{ paths: ['../secret.bin'], weights: [] }],
      }),
    );
    await expect(fileSystemHandler(directory).load?.()).rejects.toThrow(ModelFileError);
    await expect(fileSystemHandler(directory).load?.()).rejects.toThrow(/expected a path inside/);
  });

  it('says what is missing when there is no model.json', async () => {
    await expect(fileSystemHandler(join(directory, 'absent')).load?.()).rejects.toThrow(
      /cannot read .*model\.json \(ENOENT\)/,
    );
  });

  it('writes a graph model that tf.loadGraphModel reads back from disk', async () => {
    const before = tf.memory().numTensors;
    const subnet = fixtureSubnet(9);
    await exportGraphModel(subnet, fileSystemHandler(directory));
    const model = await loadGraphModel(fileSystemHandler(join(directory, 'model.json')));
    const input = tf.randomUniform([2, 7, 7, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
    const expected = referenceRun(subnet, input);
    const actual = model.predict(input) as tf.Tensor;
    expect(relativeError(actual, expected)).toBeLessThan(1e-5);
    tf.dispose([input, expected, actual]);
    model.dispose();
    disposeStaticSubnet(subnet);
    expect(tf.memory().numTensors).toBe(before);
  });
});
