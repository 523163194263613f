import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maxArch, tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupernet } from '../create-supernet.js';
import { disposeStaticSubnet } from '../dispose-static-subnet.js';
import { extractSubnet } from '../extract-subnet.js';
import { fileSystemHandler } from '../io/file-system-handler.js';
import { randomizeVariables } from '../io/test-utils/randomize-variables.js';
import { runStaticSubnet } from '../run-static-subnet.js';
import { useCpu } from '../test-utils/elastic-fixtures.js';
import type { Supernet } from '../types.js';
import { exportGraphModel } from './export-graph-model.js';
import { relativeError } from './test-utils/relative-error.js';

describe('exportGraphModel output on disk', () => {
  let supernet: Supernet;
  beforeAll(async () => {
    await useCpu();
    supernet = createSupernet(tinySpace, { numClasses: 6, seed: 3 });
    randomizeVariables(supernet, 12);
  });
  afterAll(() => {
    supernet.dispose();
  });

  it('loads in a process that imports only tfjs-core, its cpu backend and tfjs-converter', async () => {
    const arch = { ...maxArch(tinySpace), resolution: 28 };
    const subnet = extractSubnet(supernet, arch);
    const input = tf.randomNormal([2, 28, 28, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const expected = runStaticSubnet(subnet, input);
    const folder = mkdtempSync(join(tmpdir(), 'graph-model-load-'));
    try {
      await exportGraphModel(subnet, fileSystemHandler(join(folder, 'model')));
      writeFileSync(join(folder, 'input.bin'), (await input.data()) as Float32Array);
      const resolve = createRequire(import.meta.url).resolve;
      const [core, cpu, converter] = [
        '@tensorflow/tfjs-core',
        '@tensorflow/tfjs-backend-cpu',
        '@tensorflow/tfjs-converter',
      ].map((name) => JSON.stringify(resolve(name)));
      // tfjs-core has no file:// handler in Node: the script reads the files itself, as an app
      // without tfjs-node would. require.cache then lists every module it loaded.
      const script = `
const { readFileSync } = require('node:fs');
const tf = require(${core});
require(${cpu});
const { loadGraphModel } = require(${converter});
(async () => {
  await tf.setBackend('cpu');
  const json = JSON.parse(readFileSync('model/model.json', 'utf8'));
  const weightData = Buffer.concat(
    json.weightsManifest.flatMap((group) => group.paths.map((path) => readFileSync('model/' + path))),
  );
  const model = await loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    format: json.format,
    signature: json.signature,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
  }));
  const raw = readFileSync('input.bin');
  const input = tf.tensor(new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), [2, 28, 28, 3]);
  const logits = model.predict(input);
  const modules = Object.keys(require.cache);
  process.stdout.write(JSON.stringify({ shape: logits.shape, data: Array.from(logits.dataSync()), modules }));
})();
`;
      writeFileSync(join(folder, 'run.cjs'), script);
      const output = execFileSync(process.execPath, ['run.cjs'], {
        cwd: folder,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '' },
      });
      const result = JSON.parse(output) as { shape: number[]; data: number[]; modules: string[] };
      expect(result.shape).toEqual([2, 6]);
      const foreign = result.modules.filter(
        (path) => path !== join(folder, 'run.cjs') && !path.includes('/node_modules/'),
      );
      expect(foreign).toEqual([]);
      expect(result.modules.some((path) => /@supernas|\/packages\/[a-z-]+\/src\//.test(path))).toBe(
        false,
      );
      const actual = tf.tensor(result.data, [2, 6]);
      expect(relativeError(actual, expected)).toBeLessThan(1e-5);
      actual.dispose();
    } finally {
      rmSync(folder, { recursive: true, force: true });
      tf.dispose([input, expected]);
      disposeStaticSubnet(subnet);
    }
  });
});
