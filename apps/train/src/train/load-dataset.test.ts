import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../cli-usage-error.js';
import { parseTrainConfig } from './config.js';
import { loadRunData, loadRunDataset, splitHeldOut } from './load-dataset.js';
import { readRunConfig } from './run-folder.js';

/** Every example's raw pixels, as strings, so parts of a split can be compared as sets. */
async function fingerprints(dataset: Awaited<ReturnType<typeof loadRunDataset>>) {
  const indices = Array.from({ length: dataset.size }, (_, i) => i);
  const raw = await dataset.read(indices);
  return raw.images.map((image) => image.data.join(','));
}

describe('splitHeldOut', () => {
  it('keeps a seeded held-out part out of training: disjoint, together the whole split, same for the same seed', async () => {
    const data = parseTrainConfig({ data: { heldOut: 0, trainLimit: 400 } }).data;
    const full = await loadRunDataset(data, 'train', 3);
    const { train, heldOut } = splitHeldOut(full, 100, 3);
    expect([train.size, heldOut.size]).toEqual([300, 100]);
    const trainImages = await fingerprints(train);
    const heldOutImages = await fingerprints(heldOut);
    const trainSet = new Set(trainImages);
    expect(heldOutImages.filter((image) => trainSet.has(image))).toEqual([]);
    expect(new Set([...trainImages, ...heldOutImages])).toEqual(new Set(await fingerprints(full)));
    expect(await fingerprints(splitHeldOut(full, 100, 3).heldOut)).toEqual(heldOutImages);
    expect(await fingerprints(splitHeldOut(full, 100, 4).heldOut)).not.toEqual(heldOutImages);
    expect(splitHeldOut(full, 0, 3).train).toBe(full);
  });

  it('refuses a held-out part as large as the split, naming both sizes', async () => {
    const full = await loadRunDataset(
      parseTrainConfig({ data: { heldOut: 0, trainLimit: 50 } }).data,
      'train',
      0,
    );
    expect(() => splitHeldOut(full, 50, 0)).toThrow(CliUsageError);
    expect(() => splitHeldOut(full, 50, 0)).toThrow(
      'data.heldOut is 50, but the training split of fashion-mnist has 50 examples: expected fewer (0 keeps none out)',
    );
  });
});

describe('loadRunData', () => {
  it('takes the default 5,000 held-out images from the training split, then applies trainLimit to the rest', async () => {
    const config = parseTrainConfig({ data: { trainLimit: 1000, testLimit: 10 } });
    expect(config.data.heldOut).toBe(5000);
    const { train, heldOut, test } = await loadRunData(config.data, 0);
    expect([train.size, heldOut.size, test.size]).toEqual([1000, 5000, 10]);
    const heldOutSet = new Set(await fingerprints(heldOut));
    const overlap = (await fingerprints(train)).filter((image) => heldOutSet.has(image));
    // Fashion-MNIST has a few exact duplicate images; the indices themselves never overlap.
    expect(overlap.length).toBeLessThan(5);
  });
});

describe('readRunConfig', () => {
  it('reads a run written before data.heldOut as holding none out, and keeps a recorded value', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'supernas-heldout-'));
    await writeFile(join(dir, 'config.json'), JSON.stringify({ data: { batchSize: 32 } }));
    expect((await readRunConfig(dir, 'test')).data.heldOut).toBe(0);
    await writeFile(join(dir, 'config.json'), JSON.stringify({}));
    expect((await readRunConfig(dir, 'test')).data.heldOut).toBe(0);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ data: { heldOut: 1234 } }));
    expect((await readRunConfig(dir, 'test')).data.heldOut).toBe(1234);
  });
});
