import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeCheckpointLeftovers } from './run-folder.js';

describe('removeCheckpointLeftovers', () => {
  it('removes temp files and uncommitted weights of a killed save, keeping the checkpoint', async () => {
    const runDir = await mkdtemp(join(tmpdir(), 'supernas-leftovers-'));
    const checkpoint = join(runDir, 'checkpoint');
    await mkdir(checkpoint);
    await writeFile(
      join(checkpoint, 'model.json'),
      JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['weights.aa11.bin'] }] }),
    );
    for (const name of [
      'weights.aa11.bin',
      'weights.bb22.bin',
      '.weights.cc33.bin.123.1.partial',
      '.model.json.123.2.partial',
      'notes.txt',
    ])
      await writeFile(join(checkpoint, name), 'x');
    expect((await removeCheckpointLeftovers(runDir)).sort()).toEqual([
      '.model.json.123.2.partial',
      '.weights.cc33.bin.123.1.partial',
      'weights.bb22.bin',
    ]);
    expect((await readdir(checkpoint)).sort()).toEqual([
      'model.json',
      'notes.txt',
      'weights.aa11.bin',
    ]);
  });
});
