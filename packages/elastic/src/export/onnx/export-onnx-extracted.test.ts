import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ArchConfig,
  attentivenasSpace,
  createRng,
  maxArch,
  minArch,
  sampleArch,
  tinySpace,
} from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupernet } from '../../create-supernet.js';
import { disposeStaticSubnet } from '../../dispose-static-subnet.js';
import { extractSubnet } from '../../extract-subnet.js';
import { runStaticSubnet } from '../../run-static-subnet.js';
import { atResolution, useCpu } from '../../test-utils/elastic-fixtures.js';
import type { Supernet } from '../../types.js';
import { exportOnnx } from './export-onnx.js';
import { expectSameLogits, randomizeDamped } from './test-utils/expect-same-logits.js';
import { maxAbsoluteDifference, runOnnx } from './test-utils/run-onnx.js';
import { runOnnxWeb } from './test-utils/run-onnx-web.js';

describe('exportOnnx on extracted subnets', () => {
  beforeAll(async () => {
    await useCpu();
  });

  describe('tiny', () => {
    let supernet: Supernet;
    beforeAll(() => {
      supernet = createSupernet(tinySpace, { numClasses: 6, seed: 3 });
      randomizeDamped(supernet, 12);
    });
    afterAll(() => {
      supernet.dispose();
    });

    // Resolution 28 makes the last stage's stride-2 block see a 7x7 map: the padded shortcut pool.
    const archs: [string, ArchConfig][] = [
      ['max', { ...maxArch(tinySpace), resolution: 28 }],
      ['min', minArch(tinySpace)],
      ['random', sampleArch(tinySpace, createRng(21))],
    ];
    // Issue #11: the same file runs unchanged in onnxruntime-node and in onnxruntime-web, here
    // its wasm execution provider under Node (the wasm binary a browser loads).
    const runtimes = [
      ['onnxruntime-node', runOnnx],
      ['onnxruntime-web', runOnnxWeb],
    ] as const;
    for (const [runtime, run] of runtimes) {
      for (const [label, arch] of archs) {
        it(`gives runStaticSubnet's logits within 1e-4 in ${runtime} (${label} arch)`, async () => {
          await expectSameLogits(supernet, arch, 6, run, runtime);
        });
      }
    }

    it('loads from disk in a process that imports only onnxruntime-node', async () => {
      const arch = { ...maxArch(tinySpace), resolution: 28 };
      const subnet = extractSubnet(supernet, arch);
      const input = tf.randomNormal([2, 28, 28, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
      const expected = runStaticSubnet(subnet, input);
      const folder = mkdtempSync(join(tmpdir(), 'onnx-load-'));
      try {
        writeFileSync(join(folder, 'model.onnx'), await exportOnnx(subnet));
        writeFileSync(join(folder, 'input.bin'), (await input.data()) as Float32Array);
        const onnxruntime = createRequire(import.meta.url).resolve('onnxruntime-node');
        // A CommonJS script run from the temp folder: require.cache then lists every module it
        // loaded, which must all belong to onnxruntime.
        const script = `
const { readFileSync } = require('node:fs');
const ort = require(${JSON.stringify(onnxruntime)});
(async () => {
  const session = await ort.InferenceSession.create(readFileSync('model.onnx'));
  const raw = readFileSync('input.bin');
  const data = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const { logits } = await session.run({ input: new ort.Tensor('float32', data, [2, 28, 28, 3]) });
  const modules = Object.keys(require.cache);
  process.stdout.write(JSON.stringify({ dims: logits.dims, data: Array.from(logits.data), modules }));
})();
`;
        writeFileSync(join(folder, 'run.cjs'), script);
        const output = execFileSync(process.execPath, ['run.cjs'], {
          cwd: folder,
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '' },
        });
        const result = JSON.parse(output) as { dims: number[]; data: number[]; modules: string[] };
        expect(result.dims).toEqual([2, 6]);
        expect(result.modules.length).toBeGreaterThan(0);
        expect(result.modules.filter((path) => !/onnxruntime-(node|common)/.test(path))).toEqual([
          join(folder, 'run.cjs'),
        ]);
        expect(result.modules.some((path) => path.includes('@supernas'))).toBe(false);
        const actual = tf.tensor(result.data, [2, 6]);
        expect(maxAbsoluteDifference(actual, expected)).toBeLessThan(1e-4);
        actual.dispose();
      } finally {
        rmSync(folder, { recursive: true, force: true });
        tf.dispose([input, expected]);
        disposeStaticSubnet(subnet);
      }
    });
  });

  it('gives runStaticSubnet logits within 1e-4 in onnxruntime-web for the attentivenas min subnet at 96 px', async () => {
    const space = atResolution(attentivenasSpace, 96);
    const supernet = createSupernet(space, { numClasses: 10, seed: 5 });
    try {
      randomizeDamped(supernet, 7);
      await expectSameLogits(supernet, minArch(space), 9, runOnnxWeb, 'onnxruntime-web');
    } finally {
      supernet.dispose();
    }
  }, 300_000);

  it('gives runStaticSubnet logits within 1e-4 for attentivenas A0 at 160 px', async () => {
    const space = atResolution(attentivenasSpace, 160);
    const supernet = createSupernet(space, { numClasses: 10, seed: 5 });
    try {
      randomizeDamped(supernet, 7);
      const a0: ArchConfig = {
        resolution: 160,
        width: [16, 16, 24, 32, 64, 112, 192, 216, 1792],
        depth: [1, 3, 3, 3, 3, 3, 1],
        kernelSize: [3, 3, 3, 3, 3, 3, 3],
        expandRatio: [1, 4, 4, 4, 4, 6, 6],
      };
      await expectSameLogits(supernet, a0, 9, runOnnx, 'onnxruntime-node');
    } finally {
      supernet.dispose();
    }
  }, 300_000);
});
