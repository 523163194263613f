// Images/s of one SGD training step (forward + backward + update) of a small MBConv net on the
// wasm backend, with this package's kernels. Run `pnpm build` first: it imports ../dist.
//   node bench/train-step.bench.mjs [--batch 32] [--runs 7] [--profile] [--composed] [--keep-builtins]
// --composed: convolution gradients composed from built-in kernels instead of our SIMD kernels.
// --keep-builtins: keep wasm's own Conv2DBackpropInput, FusedBatchNorm, Tile, Identity, Cast,
// Sum, Mean and comparisons.
import { seededValues } from '@supernas/test-utils/random';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmBackprop } from '../dist/index.js';

const argument = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const batchSize = argument('--batch', 32);
const runs = argument('--runs', 7);
const resolution = 32;
const numClasses = 10;

// Registers tfjs' gradients into the shared registry (tfjs-core alone has none).
await import('@tensorflow/tfjs');
if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialize');
const simd = !process.argv.includes('--composed');
const replaceSlowKernels = !process.argv.includes('--keep-builtins');
registerWasmBackprop({ simd, replaceSlowKernels });

// Seeded, so every run trains the same net on the same data.
let seed = 12345;
const uniform = (shape, scale) => tf.tensor(seededValues(shape, seed++, -scale, scale), shape);
const variable = (shape) => {
  const fanIn = shape.length === 4 ? shape[0] * shape[1] * shape[2] : shape[0];
  return tf.variable(uniform(shape, Math.sqrt(3 / fanIn)));
};

// [inChannels, outChannels, expandRatio, kernelSize, stride]
const blocks = [
  [16, 16, 1, 3, 1],
  [16, 24, 4, 3, 2],
  [24, 24, 4, 3, 1],
  [24, 40, 4, 5, 2],
  [40, 40, 4, 5, 1],
  [40, 80, 4, 3, 2],
  [80, 80, 4, 3, 1],
];
const headChannels = 256;

const params = { stem: variable([3, 3, 3, 16]), stemBn: bnParams(16), blocks: [] };
function bnParams(channels) {
  return { gamma: tf.variable(tf.ones([channels])), beta: tf.variable(tf.zeros([channels])) };
}
for (const [inChannels, outChannels, expandRatio, kernelSize] of blocks) {
  const hidden = inChannels * expandRatio;
  params.blocks.push({
    expand: expandRatio === 1 ? null : variable([1, 1, inChannels, hidden]),
    expandBn: expandRatio === 1 ? null : bnParams(hidden),
    depthwise: variable([kernelSize, kernelSize, hidden, 1]),
    depthwiseBn: bnParams(hidden),
    project: variable([1, 1, hidden, outChannels]),
    projectBn: bnParams(outChannels),
  });
}
params.head = variable([1, 1, 80, headChannels]);
params.headBn = bnParams(headChannels);
params.classifier = variable([headChannels, numClasses]);
params.bias = tf.variable(tf.zeros([numClasses]));

function batchNorm(x, { gamma, beta }) {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.batchNorm(x, mean, variance, beta, gamma, 1e-5);
}

function forward(images) {
  let x = tf.relu6(batchNorm(tf.conv2d(images, params.stem, 1, 'same'), params.stemBn));
  blocks.forEach(([inChannels, outChannels, , , stride], index) => {
    const block = params.blocks[index];
    let y = x;
    if (block.expand)
      y = tf.relu6(batchNorm(tf.conv2d(y, block.expand, 1, 'same'), block.expandBn));
    y = tf.relu6(
      batchNorm(tf.depthwiseConv2d(y, block.depthwise, stride, 'same'), block.depthwiseBn),
    );
    y = batchNorm(tf.conv2d(y, block.project, 1, 'same'), block.projectBn);
    x = stride === 1 && inChannels === outChannels ? tf.add(x, y) : y;
  });
  x = tf.relu6(batchNorm(tf.conv2d(x, params.head, 1, 'same'), params.headBn));
  const pooled = tf.mean(x, [1, 2]);
  return tf.add(tf.matMul(pooled, params.classifier), params.bias);
}

const images = uniform([batchSize, resolution, resolution, 3], 1);
const labels = tf.oneHot(
  tf.tensor1d(
    Array.from({ length: batchSize }, (_, i) => i % numClasses),
    'int32',
  ),
  numClasses,
);
const optimizer = tf.train.sgd(0.01);
const step = () => {
  const loss = optimizer.minimize(
    () => tf.losses.softmaxCrossEntropy(labels, forward(images)),
    true,
  );
  const value = loss.dataSync()[0];
  loss.dispose();
  return value;
};

if (process.argv.includes('--profile')) {
  step();
  const profile = await tf.profile(() => {
    step();
  });
  const byKernel = new Map();
  for (const kernel of profile.kernels) {
    const entry = byKernel.get(kernel.name) ?? { ms: 0, calls: 0 };
    entry.ms += await kernel.kernelTimeMs;
    entry.calls += 1;
    byKernel.set(kernel.name, entry);
  }
  const rows = [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
  for (const [name, { ms, calls }] of rows) {
    console.log(
      `${name.padEnd(40)} ${ms.toFixed(1).padStart(8)} ms ${String(calls).padStart(5)} calls`,
    );
  }
}

step(); // warm-up: XNNPACK operator creation, memory growth
const tensorsAfterWarmUp = tf.memory().numTensors;
const imagesPerSecond = [];
let lastLoss = 0;
for (let run = 0; run < runs; run++) {
  const start = performance.now();
  lastLoss = step();
  imagesPerSecond.push((batchSize * 1000) / (performance.now() - start));
}
imagesPerSecond.sort((a, b) => a - b);
const median = imagesPerSecond[Math.floor(runs / 2)];
console.log(
  `wasm train step (MBConv ${resolution}x${resolution}x3, batch ${batchSize}, ` +
    `${simd ? 'simd' : 'composed'} gradients, ${replaceSlowKernels ? 'faster' : 'built-in'} kernels): ` +
    `${median.toFixed(1)} images/s median of ${runs} ` +
    `(min ${imagesPerSecond[0].toFixed(1)}, max ${imagesPerSecond[runs - 1].toFixed(1)}), ` +
    `loss ${lastLoss.toFixed(4)}, ` +
    `${tf.memory().numTensors - tensorsAfterWarmUp} tensors leaked over the runs`,
);
