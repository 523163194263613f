import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ArchConfig, attentivenasSpace, maxArch, tinySpace } from '@supernas/search-space';
import { describeRequiring } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Supernet } from '../types.js';
import { importTorchDumpFolder } from './import-torch-dump-folder.js';

// End-to-end parity with PyTorch: tools/make_interop_fixture.py builds the supernet in PyTorch
// with random weights and BN statistics, saves a reference-style checkpoint, converts it with
// tools/import_torch.py and records eval logits on fixed inputs; this side must reproduce them.

const python = process.env.SUPERNAS_PYTHON ?? '/usr/bin/python3';
const toolsDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../tools');
// Undefined when PyTorch imports; otherwise why these tests skip (or fail under
// SUPERNAS_REQUIRE=torch).
const torchMissing =
  spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0
    ? undefined
    : `'${python} -c "import torch"' failed (apt-get install python3-torch, or set SUPERNAS_PYTHON)`;

const a0 = {
  resolution: 192,
  width: [16, 16, 24, 32, 64, 112, 192, 216, 1792],
  depth: [1, 3, 3, 3, 3, 3, 1],
  kernel_size: [3, 3, 3, 3, 3, 3, 3],
  expand_ratio: [1, 4, 4, 4, 4, 6, 6],
};

// The largest subnet at 288 px takes ~4x longer on the tfjs cpu backend than at 192 px and
// exercises no other code: every other choice is at its maximum.
const attentivenasMax = { ...maxArch(attentivenasSpace), resolution: 192 };

// Odd feature maps (28 -> 7 before the last strided stage) take the padded shortcut pool.
const tinyArchs: string[] = [
  'max',
  'min',
  JSON.stringify({
    resolution: 28,
    width: [16, 8, 24, 24, 48, 128],
    depth: [2, 1, 3, 1],
    kernelSize: [3, 3, 3, 3],
    expandRatio: [1, 4, 3, 6],
  }),
  JSON.stringify({
    resolution: 24,
    width: [8, 16, 16, 32, 40, 160],
    depth: [1, 2, 2, 2],
    kernelSize: [3, 3, 3, 3],
    expandRatio: [1, 6, 4, 4],
  }),
];

interface FixtureCase {
  readonly arch: ArchConfig;
  readonly inputShape: [number, number, number, number];
  readonly inputOffset: number;
  readonly logitsShape: [number, number];
  readonly logitsOffset: number;
}

function runPython(args: readonly string[]): Promise<void> {
  return new Promise((done, fail) => {
    // Passive OpenMP waits: spinning threads crawl when other work shares the two cores.
    const env = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' };
    const child = spawn(python, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0
        ? done()
        : fail(new Error(`${python} ${args.join(' ')} exited ${code}:\n${stderr}`)),
    );
  });
}

function readCases(dir: string): { cases: FixtureCase[]; bytes: Buffer } {
  const { cases } = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as {
    cases: FixtureCase[];
  };
  return { cases, bytes: readFileSync(join(dir, 'cases.bin')) };
}

function floats(bytes: Buffer, offset: number, count: number): Float32Array {
  return new Float32Array(
    bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + count * 4),
  );
}

/** max |ours - torch| / max |torch|. */
function relativeError(
  supernet: Supernet,
  fixture: FixtureCase,
  bytes: Buffer,
): { error: number; scale: number } {
  const inputSize = fixture.inputShape.reduce((a, b) => a * b, 1);
  const expected = floats(
    bytes,
    fixture.logitsOffset,
    fixture.logitsShape[0] * fixture.logitsShape[1],
  );
  const actual = tf.tidy(() => {
    const x = tf.tensor4d(floats(bytes, fixture.inputOffset, inputSize), fixture.inputShape);
    return supernet.apply(x, fixture.arch, { training: false }).dataSync();
  });
  expect(actual.length).toBe(expected.length);
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    difference = Math.max(difference, Math.abs((actual[i] as number) - (expected[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  return { error: difference / scale, scale };
}

// Needs no PyTorch: the Python tools read these JSON files, so they must not drift.
describe('tools/spaces', () => {
  it('keeps the JSON spaces of tools/ equal to the TypeScript presets', () => {
    for (const space of [attentivenasSpace, tinySpace]) {
      const json = JSON.parse(
        readFileSync(join(toolsDir, 'spaces', `${space.name}.json`), 'utf8'),
      ) as unknown;
      expect(json).toEqual(space);
    }
  });
});

describeRequiring('torch', torchMissing, 'importTorchDumpFolder against PyTorch', () => {
  let workDir = '';
  beforeAll(async () => {
    await tf.setBackend('cpu');
    workDir = mkdtempSync(join(tmpdir(), 'supernas-torch-interop-'));
    const fixture = join(toolsDir, 'make_interop_fixture.py');
    await Promise.all([
      runPython([join(toolsDir, 'self_check.py')]),
      runPython([
        fixture,
        '--space',
        'tiny',
        '--out',
        join(workDir, 'tiny'),
        '--batch',
        '2',
        '--num-classes',
        '10',
        '--seed',
        '1',
        ...tinyArchs.flatMap((arch) => ['--arch', arch]),
      ]),
      runPython([
        fixture,
        '--space',
        'attentivenas',
        '--out',
        join(workDir, 'attentivenas'),
        '--batch',
        '1',
        '--num-classes',
        '1000',
        '--seed',
        '2',
        '--channels-last',
        '--calibration-resolution',
        '192',
        '--arch',
        JSON.stringify(a0),
        '--arch',
        JSON.stringify(attentivenasMax),
      ]),
    ]);
  }, 240_000);
  afterAll(() => {
    if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
  });

  it('reproduces the PyTorch logits of tiny subnets, odd feature maps included', async () => {
    const before = tf.memory().numTensors;
    const supernet = await importTorchDumpFolder(join(workDir, 'tiny', 'dump'), {
      space: tinySpace,
    });
    const { cases, bytes } = readCases(join(workDir, 'tiny'));
    expect(cases).toHaveLength(tinyArchs.length);
    for (const fixture of cases) {
      const { error, scale } = relativeError(supernet, fixture, bytes);
      expect(scale).toBeGreaterThan(0.01);
      expect(error, JSON.stringify(fixture.arch)).toBeLessThan(1e-4);
    }
    supernet.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reproduces the PyTorch logits of AttentiveNAS-A0 and the largest attentivenas subnet at 192 px', async () => {
    const before = tf.memory().numTensors;
    const supernet = await importTorchDumpFolder(join(workDir, 'attentivenas', 'dump'), {
      space: attentivenasSpace,
    });
    const { cases, bytes } = readCases(join(workDir, 'attentivenas'));
    expect(cases.map((fixture) => fixture.arch.depth)).toEqual([a0.depth, attentivenasMax.depth]);
    for (const fixture of cases) {
      const { error, scale } = relativeError(supernet, fixture, bytes);
      expect(scale).toBeGreaterThan(0.01);
      expect(error, JSON.stringify(fixture.arch)).toBeLessThan(1e-4);
    }
    supernet.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 180_000);
});
