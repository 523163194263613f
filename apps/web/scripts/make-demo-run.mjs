#!/usr/bin/env node
// Makes the demo run the web app ships (public/demo), with the supernas CLI only, so nothing
// here is made by hand:
//
//   1. `supernas train --run-dir DIR`: the default job (no config: tiny space, Fashion-MNIST,
//      1.5 epochs = 1,289 steps, attentive BestUp, alpha distillation);
//   2. `supernas predictor build --run DIR --samples 250 --fit-samples 150`: the run's
//      accuracy predictor (predictor.json) and its Kendall tau (predictor-report.json);
//   3. the export of what the app reads: the supernet's weights without the optimizer state
//      (any arch of the space runs in the browser), predictor.json, the min, max and a few
//      seeded subnets through `supernas export --eval` (BN-calibrated, test top-1, tfjs graph
//      model + ONNX, for download and classification), config.json, results.json, the
//      metrics without the per-step archs, sample test images with each subnet's logits, and
//      256 training images (one PNG) on which the page calibrates BN for archs it runs from the
//      supernet, with the logits Node gets from the supernet calibrated on the same images.
//
//   pnpm build && node apps/web/scripts/make-demo-run.mjs [--run DIR] [--subnets N]
//
// Each stage resumes: a run folder with results.json is not trained again (one with only a
// checkpoint is resumed), one with predictor-report.json keeps its predictor, and an interrupted
// predictor build skips the archs already in its samples file.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FASHION_MNIST_CLASS_NAMES, loadFashionMnist } from '@supernas/data';
import {
  calibrateBatchNorm,
  disposeStaticSubnet,
  extractSubnet,
  loadSupernet,
  runStaticSubnet,
  saveSupernet,
} from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
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
    run: { type: 'string', default: join(appDir, '.demo-run') },
    subnets: { type: 'string', default: '4' },
    samples: { type: 'string', default: '12' },
    'calibration-images': { type: 'string', default: '256' },
    'predictor-samples': { type: 'string', default: '250' },
    'predictor-fit-samples': { type: 'string', default: '150' },
    out: { type: 'string', default: join(appDir, 'public/demo') },
  },
});
const out = resolve(options.out);
const runDir = resolve(options.run);
const supernas = (...args) =>
  execFileSync('node', [cli, ...args], { stdio: 'inherit', cwd: repoDir });
const stage = (text) => console.log(`\n== ${new Date().toISOString()} ${text}`);

// 1. The default training job.
if (existsSync(join(runDir, 'results.json'))) {
  stage(`training: ${runDir} is trained (results.json), reused`);
} else if (existsSync(join(runDir, 'checkpoint/model.json'))) {
  stage(`training: resuming ${runDir}`);
  supernas('train', '--resume', runDir);
} else {
  stage(`training: supernas train --run-dir ${runDir}`);
  supernas('train', '--run-dir', runDir);
}

// 2. The accuracy predictor, measured on the run's held-out images.
if (existsSync(join(runDir, 'predictor-report.json'))) {
  stage(`predictor build: ${runDir} has predictor.json (predictor-report.json), reused`);
} else {
  stage('predictor build');
  supernas(
    'predictor',
    'build',
    '--run',
    runDir,
    '--samples',
    options['predictor-samples'],
    '--fit-samples',
    options['predictor-fit-samples'],
  );
}

// 3. What the app reads.
stage(`export to ${out}`);
const config = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));
const space = getSearchSpace(config.space);
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'subnets'), { recursive: true });
await tf.setBackend('cpu');

// The supernet without the optimizer state (the checkpoint carries momentum buffers).
const { supernet, step } = await loadSupernet(fileSystemHandler(join(runDir, 'checkpoint')));
await saveSupernet(supernet, fileSystemHandler(join(out, 'supernet')), {
  step,
  metadata: { run: 'demo', note: 'weights of the run checkpoint, optimizer state dropped' },
});

copyFileSync(join(runDir, 'predictor.json'), join(out, 'predictor.json'));
copyFileSync(join(runDir, 'predictor-report.json'), join(out, 'predictor-report.json'));
copyFileSync(join(runDir, 'config.json'), join(out, 'config.json'));
copyFileSync(join(runDir, 'results.json'), join(out, 'results.json'));
// The app charts loss per role, LR and images/s: the archs of every step are left out.
const metrics = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const record = JSON.parse(line);
    if (record.type !== 'step') return record;
    return {
      ...record,
      losses: record.losses.map(({ arch: _arch, ...loss }) => loss),
    };
  });
writeFileSync(
  join(out, 'metrics.jsonl'),
  `${metrics.map((record) => JSON.stringify(record)).join('\n')}\n`,
);

// Min, max and archs drawn with the run's seed, each BN-calibrated and evaluated.
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

// Sample test images as PNG, with each subnet's logits on them through the training data
// pipeline's evaluation transform (what `supernas eval` feeds the model).
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

// BN calibration images for archs run from the supernet in the browser: the first training
// images as one PNG sprite, in batches of 128 as `calibrateBatchNorm` reads them. For each
// exported arch, the logits of the sample images from the supernet calibrated on exactly those
// images in Node: the page must get the same.
const train = await loadFashionMnist({
  split: 'train',
  dir: '/usr/share/datasets/fashion-mnist',
}).catch(() => loadFashionMnist({ split: 'train' }));
const calibrationCount = Number(options['calibration-images']);
const calibrationBatchSize = 128;
const columns = 16;
const calibrationIndices = Array.from({ length: calibrationCount }, (_, i) => i);
const calibrationImages = (await train.read(calibrationIndices)).images;
const { width, height, channels } = calibrationImages[0];
const rows = Math.ceil(calibrationCount / columns);
const sprite = Buffer.alloc(columns * width * rows * height * channels);
for (const [i, image] of calibrationImages.entries()) {
  const left = (i % columns) * width;
  const top = Math.floor(i / columns) * height;
  for (let y = 0; y < height; y++) {
    Buffer.from(
      image.data.buffer,
      image.data.byteOffset + y * width * channels,
      width * channels,
    ).copy(sprite, ((top + y) * columns * width + left) * channels);
  }
}
mkdirSync(join(out, 'calibration'), { recursive: true });
await sharp(sprite, { raw: { width: columns * width, height: rows * height, channels } })
  .png()
  .toFile(join(out, 'calibration/train.png'));
writeFileSync(
  join(out, 'calibration/calibration.json'),
  `${JSON.stringify({ format: 'supernas-calibration-images', formatVersion: 1, dataset: config.data.dataset, split: 'train', indices: [0, calibrationCount - 1], file: 'calibration/train.png', count: calibrationCount, columns, width, height, channels, batchSize: calibrationBatchSize }, null, 2)}\n`,
);
for (const [label, arch] of archs) {
  const { resolution } = arch;
  const batches = [];
  for (let start = 0; start < calibrationCount; start += calibrationBatchSize) {
    const batch = await train.readBatch(
      calibrationIndices.slice(start, start + calibrationBatchSize),
      { resolution },
    );
    batches.push(tf.tensor4d(batch.images, [...batch.shape]));
  }
  await calibrateBatchNorm(supernet, arch, batches);
  tf.dispose(batches);
  const subnet = extractSubnet(supernet, arch);
  const batch = await test.readBatch(indices, { resolution });
  const logits = tf.tidy(() =>
    runStaticSubnet(subnet, tf.tensor4d(batch.images, [...batch.shape])),
  );
  const values = await logits.array();
  logits.dispose();
  disposeStaticSubnet(subnet);
  values.forEach((row, i) => {
    samples[i].supernetLogits ??= {};
    samples[i].supernetLogits[`subnets/${label}`] = row;
  });
}
supernet.dispose();

writeFileSync(
  join(out, 'samples/samples.json'),
  `${JSON.stringify({ format: 'supernas-samples', formatVersion: 1, dataset: config.data.dataset, split: 'test', samples }, null, 1)}\n`,
);

// The index the app reads over http.
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
      predictor: 'predictor.json',
      checkpoint: 'supernet/model.json',
      calibration: 'calibration/calibration.json',
      samples: 'samples/samples.json',
    },
    null,
    2,
  )}\n`,
);
const report = JSON.parse(readFileSync(join(runDir, 'predictor-report.json'), 'utf8'));
const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8'));
console.log(
  `demo run written to ${out}: ${archs.size} subnets, ${count} sample images; test top-1 ${results.subnets
    .map((subnet) => `${subnet.label} ${(subnet.top1 * 100).toFixed(2)}%`)
    .join(
      ', ',
    )}; predictor ${report.chosen.kind}, Kendall tau ${report.chosen.kendallTau.toFixed(2)} on ${report.test} archs it had not seen`,
);
