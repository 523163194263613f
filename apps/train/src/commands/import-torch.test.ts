import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSupernet, TorchImportError } from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
import { tinySpace } from '@supernas/search-space';
import { describeRequiring } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Command } from 'commander';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureIo } from '../cli-io.js';
import { importTorchTool, registerImportTorchCommand, torchPython } from './import-torch.js';

const python = torchPython();
const torchMissing =
  spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0
    ? undefined
    : `'${python} -c "import torch"' failed (apt-get install python3-torch, or set SUPERNAS_PYTHON)`;

function program(io = captureIo()) {
  const root = new Command('supernas').exitOverride();
  registerImportTorchCommand(root, io);
  return { root, io };
}

describeRequiring('torch', torchMissing, 'supernas import-torch', () => {
  let folder = '';
  beforeAll(async () => {
    await tf.setBackend('cpu');
    folder = await mkdtemp(join(tmpdir(), 'supernas-import-torch-'));
    const fixture = join(importTorchTool(), '..', 'make_interop_fixture.py');
    const result = spawnSync(
      python,
      [fixture, '--space', 'tiny', '--out', folder, '--arch', 'max', '--batch', '2'],
      {
        encoding: 'utf8',
        env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
      },
    );
    if (result.status !== 0) throw new Error(result.stderr);
  }, 120_000);
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('converts a reference checkpoint into a supernas checkpoint with the same logits', async () => {
    const out = join(folder, 'converted');
    const { root, io } = program();
    await root.parseAsync(
      ['import-torch', join(folder, 'checkpoint.pth'), '--space', 'tiny', '--out', out],
      {
        from: 'user',
      },
    );
    expect(io.out()).toContain(`to ${out}`);

    const before = tf.memory().numTensors;
    const { supernet } = await loadSupernet(fileSystemHandler(out), { space: tinySpace });
    const { cases } = JSON.parse(await readFile(join(folder, 'cases.json'), 'utf8'));
    const bytes = await readFile(join(folder, 'cases.bin'));
    const [fixture] = cases;
    const inputSize = fixture.inputShape.reduce((a: number, b: number) => a * b, 1);
    const floats = (offset: number, count: number) =>
      new Float32Array(
        bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + count * 4),
      );
    const expected = floats(fixture.logitsOffset, 2 * 10);
    const actual = tf.tidy(() =>
      supernet
        .apply(
          tf.tensor4d(floats(fixture.inputOffset, inputSize), fixture.inputShape),
          fixture.arch,
          {
            training: false,
          },
        )
        .dataSync(),
    );
    const scale = Math.max(...Array.from(expected, Math.abs));
    const error = Math.max(
      ...Array.from(expected, (value, i) => Math.abs(value - (actual[i] as number))),
    );
    expect(error / scale).toBeLessThan(1e-4);
    supernet.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails with the converter message naming the keys when the checkpoint is of another space', async () => {
    const { root } = program();
    const run = root.parseAsync(
      [
        'import-torch',
        join(folder, 'checkpoint.pth'),
        '--space',
        'attentivenas',
        '--out',
        join(folder, 'never'),
      ],
      { from: 'user' },
    );
    await expect(run).rejects.toBeInstanceOf(TorchImportError);
    await expect(run).rejects.toThrow(/has shape \[16, 3, 3, 3\], expected \[24, 3, 3, 3\]/);
  });
});
