// One supernas benchmark case in this process, on one backend; prints JSON lines in the same
// schema as bench/torch/sandwich_step.py. Run by sandwich.bench.mjs, which alternates it with
// the PyTorch reference and writes the inputs tiny-train needs; run it alone as:
//   node make-batches.mjs --out batches.bin && node case.mjs --case tiny-train --backend native \
//     --data batches.bin --archs archs.json    (archs.json: {"steps": [[max, mid, mid, min], ...]})
//
// tiny-train is the default `supernas train` job's sandwich step (the trainer's sandwichStep with
// the default config) on real Fashion-MNIST batches (--data) and per-step archs (--archs), the
// same files the PyTorch side reads. a0-infer and attentivenas-train run on random inputs.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  createSupernet,
  disposeStaticSubnet,
  extractSubnet,
  registerGradients,
  runStaticSubnet,
} from '@supernas/elastic';
import {
  attentivenasSpace,
  createRng,
  getSearchSpace,
  maxArch,
  minArch,
  sampleArch,
  tinySpace,
} from '@supernas/search-space';
import { Sgd, sandwichStep } from '@supernas/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../dist/backend.js';
import { parseTrainConfig } from '../dist/train/config.js';
import { trainConfigOf } from '../dist/train/train-setup.js';
import { readBatchesFile } from './batches-file.mjs';

const { values } = parseArgs({
  options: {
    case: { type: 'string' },
    backend: { type: 'string', default: 'native' },
    repeats: { type: 'string' },
    seed: { type: 'string', default: '0' },
    data: { type: 'string' },
    archs: { type: 'string' },
  },
});

const A0 = {
  resolution: 192,
  width: [16, 16, 24, 32, 64, 112, 192, 216, 1792],
  depth: [1, 3, 3, 3, 3, 3, 1],
  kernelSize: [3, 3, 3, 3, 3, 3, 3],
  expandRatio: [1, 4, 4, 4, 4, 6, 6],
};
// Random-input train cases: every subnet runs at `resolution`, KL distillation, no dropout.
const randomTrainCases = {
  'attentivenas-train': {
    space: attentivenasSpace,
    batch: 16,
    resolution: 192,
    channels: 3,
    classes: 1000,
    repeats: 2,
  },
};
// Inference of an extracted static subnet, at batch 1 and 16 on random inputs. a0-infer is
// compared with PyTorch's dynamic supernet; the *-static-infer cases with PyTorch's static
// subnet (get_active_subnet), like for like. tiny: the default job's input (1 channel, 10 classes).
const inferCases = {
  'a0-infer': {
    space: attentivenasSpace,
    arch: A0,
    channels: 3,
    classes: 1000,
    label: 'AttentiveNAS-A0',
  },
  'a0-static-infer': {
    space: attentivenasSpace,
    arch: A0,
    channels: 3,
    classes: 1000,
    label: 'AttentiveNAS-A0',
  },
  'tiny-max-static-infer': {
    space: tinySpace,
    arch: maxArch(tinySpace),
    channels: 1,
    classes: 10,
    label: 'tiny max',
  },
  'tiny-min-static-infer': {
    space: tinySpace,
    arch: minArch(tinySpace),
    channels: 1,
    classes: 10,
    label: 'tiny min',
  },
};
const defaultJobData = 'fashion-mnist train, default augmentation';
const defaultJobLoss =
  'max: label-smoothed CE 0.1, dropout 0.1, drop-connect 0.1; ' +
  'others: adaptive alpha-divergence (alpha -1/1, clip 5) from the max';

const median = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const summarize = (caseName, backend, samples, unit, details) => ({
  case: caseName,
  backend: `supernas-${backend}`,
  median: median(samples),
  min: Math.min(...samples),
  max: Math.max(...samples),
  unit,
  ...details,
  ompWaitPolicy: process.env.OMP_WAIT_POLICY ?? 'default',
  gompSpincount: process.env.GOMP_SPINCOUNT ?? 'default',
});

// A training case's two records: images/s (the batch once per sandwich step) and s/step.
const trainRecords = (batch, seconds, details) => [
  summarize(
    values.case,
    backend.name,
    seconds.map((s) => batch / s),
    'images/s',
    { imagesCounted: 'batch per sandwich step', ...details },
  ),
  summarize(values.case, backend.name, seconds, 's/step', details),
];

const backend = await selectBackend(values.backend);
await registerGradients();
const seed = Number(values.seed);
const records = [];

if (values.case === 'tiny-train') {
  if (values.data === undefined || values.archs === undefined)
    throw new Error('tiny-train needs --data and --archs (sandwich.bench.mjs writes both)');
  const { header, batches } = readBatchesFile(values.data);
  const archFile = JSON.parse(readFileSync(values.archs, 'utf8'));
  const archRows = archFile.steps;
  // Untimed steps first (sandwich.bench.mjs says why), each with its own archs.
  const warmupSteps = archFile.warmupSteps ?? 1;
  const repeats = Number(values.repeats ?? 5);
  // The default job's training settings, as train-setup.ts hands them to the trainer; the
  // step timed is a distilling one (after the default job's label warm-up).
  const config = trainConfigOf(parseTrainConfig({}), 1, 1);
  const supernet = createSupernet(getSearchSpace(header.space), {
    numClasses: header.numClasses,
    inputChannels: header.channels,
    seed,
  });
  const optimizer = new Sgd({
    momentum: config.momentum,
    nesterov: config.nesterov,
    weightDecay: config.weightDecay,
  });
  const seconds = [];
  let firstStepLosses;
  for (let step = 0; step < warmupSteps + repeats; step++) {
    // Tensors are built outside the timed step on both sides.
    const batch = batches[step % batches.length];
    const images = tf.tensor4d(batch.images, batch.shape);
    const labels = tf.tensor1d(batch.labels, 'int32');
    const start = performance.now();
    const losses = await sandwichStep({
      supernet,
      optimizer,
      archs: archRows[step % archRows.length],
      images,
      labels,
      learningRate: config.baseLr,
      step,
      seed: step,
      config,
    });
    if (step >= warmupSteps) seconds.push((performance.now() - start) / 1000);
    else if (step === 0) firstStepLosses = losses.map(({ loss }) => Math.round(loss * 1e4) / 1e4);
    tf.dispose([images, labels]);
  }
  const details = {
    batch: header.batchSize,
    resolution: header.height,
    inputChannels: header.channels,
    numClasses: header.numClasses,
    subnetsPerStep: archRows[0].length,
    repeats,
    warmupSteps,
    data: defaultJobData,
    resolutions: [
      ...new Set(
        archRows
          .slice(0, warmupSteps + repeats)
          .flatMap((row) => row.map((arch) => arch.resolution)),
      ),
    ].sort((a, b) => a - b),
    loss: defaultJobLoss,
    firstStepLosses,
  };
  records.push(...trainRecords(header.batchSize, seconds, details));
  optimizer.dispose();
  supernet.dispose();
} else if (values.case in randomTrainCases) {
  const spec = randomTrainCases[values.case];
  const repeats = Number(values.repeats ?? spec.repeats);
  const rng = createRng(seed);
  const supernet = createSupernet(spec.space, {
    numClasses: spec.classes,
    inputChannels: spec.channels,
    seed,
  });
  const optimizer = new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-5 });
  const images = tf.randomNormal(
    [spec.batch, spec.resolution, spec.resolution, spec.channels],
    0,
    1,
    'float32',
    seed,
  );
  const labels = tf.tensor1d(
    Array.from({ length: spec.batch }, () => rng.int(spec.classes)),
    'int32',
  );
  const config = {
    labelSmoothing: 0.1,
    dropout: 0,
    dropConnect: 0,
    gradClipValue: 1,
    distillation: { kind: 'kl', temperature: 1 },
  };
  const seconds = [];
  for (let step = 0; step <= repeats; step++) {
    const archs = [
      maxArch(spec.space),
      sampleArch(spec.space, rng),
      sampleArch(spec.space, rng),
      minArch(spec.space),
    ].map((arch) => ({ ...arch, resolution: spec.resolution }));
    const start = performance.now();
    await sandwichStep({
      supernet,
      optimizer,
      archs,
      images,
      labels,
      learningRate: 0.1,
      step,
      seed: step,
      config,
    });
    if (step > 0) seconds.push((performance.now() - start) / 1000);
  }
  const details = {
    batch: spec.batch,
    resolution: spec.resolution,
    inputChannels: spec.channels,
    numClasses: spec.classes,
    subnetsPerStep: 4,
    repeats,
    data: 'random normal images, random labels',
    resolutions: [spec.resolution],
    loss: 'max: label-smoothed CE 0.1; others: KL from the max',
  };
  records.push(...trainRecords(spec.batch, seconds, details));
  tf.dispose([images, labels]);
  optimizer.dispose();
  supernet.dispose();
} else if (values.case in inferCases) {
  const spec = inferCases[values.case];
  const repeats = Number(values.repeats ?? 20);
  const supernet = createSupernet(spec.space, {
    numClasses: spec.classes,
    inputChannels: spec.channels,
    seed,
  });
  const started = performance.now();
  const subnet = extractSubnet(supernet, spec.arch);
  const extractSeconds = (performance.now() - started) / 1000;
  supernet.dispose();
  const { resolution } = spec.arch;
  for (const batch of [1, 16]) {
    const images = tf.randomNormal(
      [batch, resolution, resolution, spec.channels],
      0,
      1,
      'float32',
      seed,
    );
    const milliseconds = [];
    for (let run = 0; run <= repeats; run++) {
      const start = performance.now();
      const logits = runStaticSubnet(subnet, images);
      await logits.data();
      logits.dispose();
      if (run > 0) milliseconds.push(performance.now() - start);
    }
    const details = {
      arch: spec.label,
      batch,
      resolution,
      inputChannels: spec.channels,
      numClasses: spec.classes,
      repeats,
      data: 'random normal images',
      // The subnet's BN is not folded; the native backend folds it when it compiles the subnet
      // (runStaticSubnet through SupernasStaticSubnet), PyTorch does not.
      model:
        backend.name === 'native'
          ? 'static subnet (extractSubnet), compiled: BN folded, one native call per forward'
          : 'static subnet (extractSubnet), BN not folded',
      extractSeconds: Math.round(extractSeconds * 1e4) / 1e4,
    };
    records.push(summarize(values.case, backend.name, milliseconds, 'ms', details));
    records.push(
      summarize(
        values.case,
        backend.name,
        milliseconds.map((ms) => (1000 * batch) / ms),
        'images/s',
        details,
      ),
    );
    images.dispose();
  }
  disposeStaticSubnet(subnet);
} else {
  throw new Error(
    `unknown --case '${values.case}', expected tiny-train, attentivenas-train or one of ${Object.keys(inferCases).join(', ')}`,
  );
}
for (const record of records) console.log(JSON.stringify(record));
