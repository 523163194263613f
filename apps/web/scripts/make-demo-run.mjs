#!/usr/bin/env node
// Makes the demo run the web app ships (public/demo): trains with the supernas CLI (or reuses a
// run folder), exports the min, max and a few sampled subnets with their measured test top-1,
// and writes sample test images with the run's own predictions for them. Nothing here is made by
// hand: every weight comes from `supernas train` / `supernas export`.
//
//   pnpm build && node apps/web/scripts/make-demo-run.mjs [--run DIR] [--subnets N]
//
// `supernas predictor build` does not exist yet; when it does, this script should call it and
// write predictor.json (web-run.json's `predictor`), so the app can search the whole space.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FASHION_MNIST_CLASS_NAMES, loadFashionMnist } from '@supernas/data';
import {
  archKey,
  createRng,
  getSearchSpace,
  maxArch,
  minArch,
  sampleArch,
} from '@supernas/search-space';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = resolve(appDir, '../..');
const cli = join(repoDir, 'apps/train/dist/cli.js');
const { values: options } = parseArgs({
  options: {
    run: { type: 'string' },
    subnets: { type: 'string', default: '6' },
    samples: { type: 'string', default: '12' },
    out: { type: 'string', default: join(appDir, 'public/demo') },
  },
});
const out = resolve(options.out);
const supernas = (...args) =>
  execFileSync('node', [cli, ...args], { stdio: 'inherit', cwd: repoDir });

// 1. Train (unless a run folder is given).
const runDir = options.run ? resolve(options.run) : join(appDir, '.demo-run');
if (!options.run) {
  rmSync(runDir, { recursive: true, force: true });
  supernas('train', '--config', join(appDir, 'demo-config.yaml'), '--run-dir', runDir);
}
const config = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));
const space = getSearchSpace(config.space);

// 2. Export min, max and archs drawn with the run's seed, each BN-calibrated and evaluated.
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'subnets'), { recursive: true });
const archs = new Map([
  ['min', minArch(space)],
  ['max', maxArch(space)],
]);
const rng = createRng(config.seed + 1);
while (archs.size < Number(options.subnets)) {
  const arch = sampleArch(space, rng);
  if (![...archs.values()].some((other) => archKey(other) === archKey(arch)))
    archs.set(`sampled-${archs.size - 1}`, arch);
}
const archDir = join(runDir, 'demo-archs');
mkdirSync(archDir, { recursive: true });
for (const [label, arch] of archs) {
  const archFile = join(archDir, `${label}.json`);
  writeFileSync(archFile, JSON.stringify(arch));
  supernas(
    'export',
    '--run',
    runDir,
    '--arch',
    archFile,
    '--out',
    join(out, 'subnets', label),
    '--eval',
  );
}
for (const file of ['config.json', 'metrics.jsonl', 'results.json']) {
  try {
    copyFileSync(join(runDir, file), join(out, file));
  } catch {
    console.warn(`(no ${file} in ${runDir})`);
  }
}

// 3. Sample test images as PNG, with each subnet's logits on them through the training data
// pipeline's evaluation transform (what `supernas eval` feeds the model).
await tf.setBackend('cpu');
const test = await loadFashionMnist({
  split: 'test',
  dir: '/usr/share/datasets/fashion-mnist',
}).catch(() => loadFashionMnist({ split: 'test' }));
const count = Number(options.samples);
const indices = Array.from({ length: count }, (_, i) => i);
const raw = await test.read(indices);
mkdirSync(join(out, 'samples'), { recursive: true });
const samples = [];
for (const [i, image] of raw.images.entries()) {
  const file = `samples/test-${i}.png`;
  await sharp(Buffer.from(image.data), {
    raw: { width: image.width, height: image.height, channels: image.channels },
  })
    .png()
    .toFile(join(out, file));
  const label = raw.labels[i];
  samples.push({ file, index: i, label, labelName: FASHION_MNIST_CLASS_NAMES[label], logits: {} });
}
for (const label of archs.keys()) {
  const folder = join(out, 'subnets', label);
  const modelJson = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
  const shards = modelJson.weightsManifest.flatMap((group) =>
    group.paths.map((path) => readFileSync(join(folder, path))),
  );
  const weightData = new Uint8Array(Buffer.concat(shards)).buffer;
  const model = await loadGraphModel(
    tf.io.fromMemory({
      ...modelJson,
      weightSpecs: tf.io.getWeightSpecs(modelJson.weightsManifest),
      weightData,
    }),
  );
  const { resolution } = archs.get(label);
  const batch = await test.readBatch(indices, { resolution });
  const logits = tf.tidy(() =>
    model.execute({ input: tf.tensor4d(batch.images, [...batch.shape]) }, 'logits'),
  );
  const values = await logits.array();
  logits.dispose();
  model.dispose();
  values.forEach((row, i) => {
    samples[i].logits[`subnets/${label}`] = row;
  });
}
writeFileSync(
  join(out, 'samples/samples.json'),
  `${JSON.stringify({ format: 'supernas-samples', formatVersion: 1, dataset: config.data.dataset, split: 'test', samples }, null, 1)}\n`,
);

// 4. The index the app reads over http.
writeFileSync(
  join(out, 'web-run.json'),
  `${JSON.stringify(
    {
      format: 'supernas-web-run',
      formatVersion: 1,
      subnets: [...archs.keys()].map((label) => `subnets/${label}`),
      config: 'config.json',
      metrics: 'metrics.jsonl',
      results: 'results.json',
      samples: 'samples/samples.json',
    },
    null,
    2,
  )}\n`,
);
console.log(`demo run written to ${out}: ${archs.size} subnets, ${count} sample images`);
