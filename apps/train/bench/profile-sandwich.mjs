// Where one sandwich step of a bench case goes on a backend: wall time, the time inside kernels
// (tf.profile) per kernel, and the rest (tfjs dispatch, the tape, JS glue, allocation).
//   node bench/make-batches.mjs --out /tmp/b.bin --batches 3
//   node bench/profile-sandwich.mjs --case tiny-train --data /tmp/b.bin [--backend native]
//   node bench/profile-sandwich.mjs --case attentivenas-train
// With --time N it first times 3 groups of N steps without the profiler (new archs every step)
// and prints ms per step, the bytes the native backend allocated afresh per step (what its
// buffer pool could not serve), the pool's size and budget, and the process's resident memory.
import { parseArgs } from 'node:util';
import { createSupernet, registerGradients } from '@supernas/elastic';
import {
  attentivenasSpace,
  createRng,
  getSearchSpace,
  maxArch,
  minArch,
  sampleArch,
} from '@supernas/search-space';
import { Sgd, sandwichStep } from '@supernas/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../dist/backend.js';
import { parseTrainConfig } from '../dist/train/config.js';
import { trainConfigOf } from '../dist/train/train-setup.js';
import { readBatchesFile } from './batches-file.mjs';

const { values } = parseArgs({
  options: {
    case: { type: 'string', default: 'tiny-train' },
    backend: { type: 'string', default: 'native' },
    data: { type: 'string' },
    top: { type: 'string', default: '25' },
    steps: { type: 'string', default: '2' },
    'by-calls': { type: 'boolean', default: false },
    time: { type: 'string', default: '0' },
  },
});
const backend = await selectBackend(values.backend);
await registerGradients();
const rng = createRng(0);
let supernet;
let stepInput;
if (values.case === 'tiny-train') {
  if (values.data === undefined) throw new Error('tiny-train needs --data (make-batches.mjs)');
  const { header, batches } = readBatchesFile(values.data);
  const space = getSearchSpace(header.space);
  const config = trainConfigOf(parseTrainConfig({}), 1, 1);
  supernet = createSupernet(space, {
    numClasses: header.numClasses,
    inputChannels: header.channels,
    seed: 0,
  });
  const batch = batches[0];
  stepInput = () => ({
    archs: [maxArch(space), sampleArch(space, rng), sampleArch(space, rng), minArch(space)],
    images: tf.tensor4d(batch.images, batch.shape),
    labels: tf.tensor1d(batch.labels, 'int32'),
    learningRate: config.baseLr,
    config,
    optimizer: new Sgd({
      momentum: config.momentum,
      nesterov: config.nesterov,
      weightDecay: config.weightDecay,
    }),
  });
} else {
  const space = attentivenasSpace;
  supernet = createSupernet(space, { numClasses: 1000, inputChannels: 3, seed: 0 });
  stepInput = () => ({
    archs: [maxArch(space), sampleArch(space, rng), sampleArch(space, rng), minArch(space)].map(
      (arch) => ({ ...arch, resolution: 192 }),
    ),
    images: tf.randomNormal([16, 192, 192, 3], 0, 1, 'float32', 0),
    labels: tf.tensor1d(
      Array.from({ length: 16 }, () => rng.int(1000)),
      'int32',
    ),
    learningRate: 0.1,
    config: {
      labelSmoothing: 0.1,
      dropout: 0,
      dropConnect: 0,
      gradClipValue: 1,
      distillation: { kind: 'kl', temperature: 1 },
    },
    optimizer: new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-5 }),
  });
}
const optimizer = stepInput().optimizer;
async function step(index) {
  const { images, labels, optimizer: _unused, ...rest } = stepInput();
  _unused.dispose();
  await sandwichStep({ supernet, optimizer, images, labels, step: index, seed: index, ...rest });
  tf.dispose([images, labels]);
}
await step(0);
const timedSteps = Number(values.time);
const gib = (bytes) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
for (let group = 0; group < (timedSteps > 0 ? 3 : 0); group++) {
  const poolBefore = tf.backend().poolStats;
  const started = performance.now();
  for (let index = 0; index < timedSteps; index++) await step(1000 + group * timedSteps + index);
  const msPerStep = (performance.now() - started) / timedSteps;
  const pool = tf.backend().poolStats;
  const fresh =
    pool === undefined
      ? 'n/a'
      : gib((pool.allocatedBytes - poolBefore.allocatedBytes) / timedSteps);
  console.log(
    `${values.case} on ${backend.name}, steps ${group * timedSteps + 1}-${(group + 1) * timedSteps} ` +
      `(unprofiled): ${msPerStep.toFixed(1)} ms a step, allocated afresh ${fresh} a step` +
      (pool === undefined
        ? ''
        : `, pool ${gib(pool.pooledBytes)} of ${gib(pool.maxBytes)}, peak in use ${gib(pool.peakBytesInUse)}`) +
      `, resident ${gib(process.memoryUsage().rss)}`,
  );
}
for (let index = 1; index <= Number(values.steps); index++) {
  const started = performance.now();
  const profile = await tf.profile(() => step(index));
  const wall = performance.now() - started;
  const byKernel = new Map();
  for (const kernel of profile.kernels) {
    const entry = byKernel.get(kernel.name) ?? { ms: 0, calls: 0 };
    entry.ms += kernel.kernelTimeMs;
    entry.calls += 1;
    byKernel.set(kernel.name, entry);
  }
  const byCalls = process.argv.includes('--by-calls');
  const rows = [...byKernel.entries()].sort((a, b) =>
    byCalls ? b[1].calls - a[1].calls : b[1].ms - a[1].ms,
  );
  const total = rows.reduce((sum, [, entry]) => sum + entry.ms, 0);
  console.log(
    `${values.case} on ${backend.name}, step ${index}: ${wall.toFixed(0)} ms wall (profiled), ` +
      `${total.toFixed(0)} ms in ${profile.kernels.length} kernel calls, ` +
      `${(wall - total).toFixed(0)} ms outside kernels`,
  );
  for (const [name, entry] of rows.slice(0, Number(values.top))) {
    console.log(
      `  ${name.padEnd(36)} ${entry.ms.toFixed(1).padStart(8)} ms ${String(entry.calls).padStart(5)} calls`,
    );
  }
}
