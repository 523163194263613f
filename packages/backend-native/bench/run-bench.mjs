// Benchmark of the native backend against tfjs' cpu backend and PyTorch (2 threads each):
// per-op times at the shapes of a small MBConv net (bench/op-cases.json), then a full training
// step and inference of that net (bench/mbconv-net.mjs vs bench/ops.py). Runs alternate between
// the sides round by round and the report gives medians, so background load hits all alike.
//
//   pnpm --filter @supernas/backend-native bench [--rounds 5] [--steps 3] [--cpu-rounds 2]
//        [--no-ops] [--no-cpu] [--no-torch] [--threads 2] [--json results.json]
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { enableNativeBackend } from '../dist/index.js';
import { createNet, createTrainer, disposeNet, forward, makeBatch } from './mbconv-net.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : fallback;
};
const rounds = Number(option('rounds', '5'));
const steps = Number(option('steps', '3'));
const cpuRounds = args.includes('--no-cpu') ? 0 : Number(option('cpu-rounds', '2'));
const threads = Number(option('threads', '2'));
const useTorch = !args.includes('--no-torch');
const runOps = !args.includes('--no-ops');
const jsonPath = option('json', undefined);
const spec = JSON.parse(readFileSync(new URL('./op-cases.json', import.meta.url), 'utf8'));

await import('@tensorflow/tfjs'); // gradients
const info = enableNativeBackend({ threads });
console.log(`native: oneDNN ${info.onednn} (${info.isa}), ${info.threads} threads`);

/** A Python process running bench/ops.py, answering one JSON line per command. */
function startTorch() {
  const child = spawn('/usr/bin/python3', [fileURLToPath(new URL('./ops.py', import.meta.url))], {
    env: { ...process.env, BENCH_THREADS: String(threads) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async ask(command) {
      child.stdin.write(`${command}\n`);
      const { value, done } = await lines.next();
      if (done) throw new Error('bench/ops.py exited (is python3-torch installed?)');
      return JSON.parse(value);
    },
    close() {
      child.stdin.end('quit\n');
    },
  };
}

const random = (shape) => tf.randomUniform(shape, -1, 1, 'float32', 1);

/** A closure running one op case on the active backend (inputs made once per backend). */
function makeCase(testCase) {
  const { kind } = testCase;
  if (kind === 'conv' || kind === 'depthwise') {
    const [, , , channels] = testCase.input;
    const k = testCase.kernelSize;
    const depthwise = kind === 'depthwise';
    const x = random(testCase.input);
    const filter = random([k, k, channels, depthwise ? 1 : testCase.outChannels]);
    const pad = [
      [0, 0],
      [k >> 1, k >> 1],
      [k >> 1, k >> 1],
      [0, 0],
    ];
    const strides = [testCase.stride, testCase.stride];
    const y = depthwise
      ? tf.depthwiseConv2d(x, filter, strides, pad)
      : tf.conv2d(x, filter, strides, pad);
    const dy = random(y.shape);
    const engine = tf.engine();
    const attrs = { strides, pad, dataFormat: 'NHWC', dilations: 1 };
    if (testCase.pass === 'forward') {
      return () =>
        depthwise
          ? tf.depthwiseConv2d(x, filter, strides, pad)
          : tf.conv2d(x, filter, strides, pad);
    }
    if (testCase.pass === 'backwardInput') {
      const name = depthwise ? 'DepthwiseConv2dNativeBackpropInput' : 'Conv2DBackpropInput';
      return () => engine.runKernel(name, { dy, filter }, { ...attrs, inputShape: x.shape });
    }
    const name = depthwise ? 'DepthwiseConv2dNativeBackpropFilter' : 'Conv2DBackpropFilter';
    return () => engine.runKernel(name, { x, dy }, { ...attrs, filterShape: filter.shape });
  }
  if (kind === 'matmul') {
    const a = random(testCase.a);
    const b = random(testCase.b);
    return () => tf.matMul(a, b, testCase.transposeA, testCase.transposeB);
  }
  if (kind === 'binary') {
    const a = random(testCase.a);
    const b = random(testCase.b);
    const op = { mul: tf.mul, add: tf.add, sub: tf.sub }[testCase.op];
    return () => op(a, b);
  }
  if (kind === 'unary') {
    const x = random(testCase.input);
    return () => tf.sigmoid(x);
  }
  if (kind === 'reduce') {
    const x = random(testCase.input);
    return testCase.op === 'sum'
      ? () => tf.sum(x, testCase.axes)
      : () => tf.mean(x, testCase.axes, true);
  }
  if (kind === 'batchNorm') {
    const x = random(testCase.input);
    const channels = testCase.input[3];
    const [mean, variance, offset, scale] = [
      random([channels]),
      tf.add(random([channels]), 2),
      random([channels]),
      random([channels]),
    ];
    return () => tf.batchNorm(x, mean, variance, offset, scale, 1e-5);
  }
  throw new Error(`unknown case kind ${kind}`);
}

async function opRunners(backendName) {
  await tf.setBackend(backendName);
  const runners = spec.cases.map(makeCase);
  // Warm-up builds oneDNN primitives and touches memory once.
  for (const run of runners) tf.dispose(run());
  return runners;
}

async function timeOps(backendName, runners) {
  await tf.setBackend(backendName);
  return runners.map((run) => {
    const started = performance.now();
    tf.dispose(run());
    return (performance.now() - started) / 1000;
  });
}

const median = (values) => {
  const sorted = values.filter((value) => value !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const torch = useTorch ? startTorch() : undefined;
const samples = { native: [], cpu: [], torch: [] };
const nativeRunners = runOps ? await opRunners('native') : [];
const cpuRunners = runOps && cpuRounds > 0 ? await opRunners('cpu') : [];
for (let round = 0; runOps && round < rounds; round += 1) {
  samples.native.push(await timeOps('native', nativeRunners));
  if (torch) samples.torch.push((await torch.ask('ops')).times);
  if (round < cpuRounds) samples.cpu.push(await timeOps('cpu', cpuRunners));
}
const ms = (seconds) => (seconds === undefined ? '-' : (seconds * 1000).toFixed(2));
const ratio = (numerator, denominator) =>
  numerator === undefined || denominator === undefined ? '-' : (numerator / denominator).toFixed(2);
const opRows = spec.cases.map((testCase, index) => {
  const pick = (side) => median(samples[side].map((round) => round[index]));
  return { name: testCase.name, native: pick('native'), cpu: pick('cpu'), torch: pick('torch') };
});
if (runOps)
  console.log(
    `\nper-op median ms over ${rounds} alternating rounds (cpu: ${cpuRounds}); speed = torch time / native time`,
  );
if (runOps)
  console.log(
    `${'op'.padEnd(40)} ${'native'.padStart(9)} ${'cpu'.padStart(10)} ${'torch'.padStart(9)} ${'speed'.padStart(6)}`,
  );
for (const row of runOps ? opRows : []) {
  console.log(
    `${row.name.padEnd(40)} ${ms(row.native).padStart(9)} ${ms(row.cpu).padStart(10)} ${ms(row.torch).padStart(9)} ${ratio(row.torch, row.native).padStart(6)}`,
  );
}
for (const runners of [nativeRunners, cpuRunners]) runners.length = 0;

// Full training step and inference of the small MBConv net.
await tf.setBackend('native');
const net = createNet();
const train = createTrainer(net);
const { images, labels } = makeBatch(spec.batch, spec.resolution);
const inferOnce = () => tf.tidy(() => forward(net, images, false).dataSync());
train(images, labels);
inferOnce();
const stepSamples = { nativeTrain: [], torchTrain: [], nativeInfer: [], torchInfer: [] };
const imagesPerSecond = (seconds, count) => (spec.batch * count) / seconds;
for (let round = 0; round < rounds; round += 1) {
  let started = performance.now();
  for (let step = 0; step < steps; step += 1) train(images, labels);
  stepSamples.nativeTrain.push(imagesPerSecond((performance.now() - started) / 1000, steps));
  if (torch)
    stepSamples.torchTrain.push(
      imagesPerSecond((await torch.ask(`train ${steps}`)).seconds, steps),
    );
  started = performance.now();
  for (let step = 0; step < steps; step += 1) inferOnce();
  stepSamples.nativeInfer.push(imagesPerSecond((performance.now() - started) / 1000, steps));
  if (torch)
    stepSamples.torchInfer.push(
      imagesPerSecond((await torch.ask(`infer ${steps}`)).seconds, steps),
    );
}
torch?.close();
const step = Object.fromEntries(
  Object.entries(stepSamples).map(([key, values]) => [key, median(values)]),
);
const rate = (value) => (value === undefined ? '-' : value.toFixed(1));
console.log(
  `\nsmall MBConv net, batch ${spec.batch} at ${spec.resolution}x${spec.resolution}, median images/s over ${rounds} rounds of ${steps} steps`,
);
console.log(
  `training:  native ${rate(step.nativeTrain)}  torch ${rate(step.torchTrain)}  native/torch ${ratio(step.nativeTrain, step.torchTrain)}`,
);
console.log(
  `inference: native ${rate(step.nativeInfer)}  torch ${rate(step.torchInfer)}  native/torch ${ratio(step.nativeInfer, step.torchInfer)}`,
);
disposeNet(net);
tf.dispose([images, labels]);
if (jsonPath) {
  writeFileSync(
    jsonPath,
    `${JSON.stringify({ info, rounds, steps, ops: opRows, step }, null, 2)}\n`,
  );
}
