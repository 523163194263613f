// Benchmark of the native backend against tfjs' cpu backend and PyTorch (2 threads each):
// per-op times at the shapes of a small MBConv net (bench/op-cases.json), then a full training
// step and inference of that net (bench/mbconv-net.mjs vs bench/ops.py). Runs alternate between
// the sides round by round and the report gives medians, so background load hits all alike.
//
//   pnpm --filter @supernas/backend-native bench [--rounds 5] [--steps 3] [--cpu-rounds 2]
//        [--no-ops] [--no-cpu] [--no-torch] [--threads 2] [--json results.json]
// The net runs twice: with BN and swish as tfjs ops (as @supernas/elastic writes them) and with
// this package's fused ops (batchNormTraining, swish).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
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
const load = () => loadavg()[0]?.toFixed(2);
const loadAtStart = load();
console.log(
  `native: oneDNN ${info.onednn} (${info.isa}), ${info.threads} threads; load average ${loadAtStart}`,
);

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
    const op = { sigmoid: tf.sigmoid, relu: tf.relu, relu6: tf.relu6 }[testCase.op];
    return () => op(x);
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

// Full training step and inference of the small MBConv net, written with tfjs ops as
// @supernas/elastic writes it and with this package's fused BN and swish ops.
await tf.setBackend('native');
const net = createNet();
const { images, labels } = makeBatch(spec.batch, spec.resolution);
const variants = ['tfjs', 'fused'].map((name) => {
  const fused = name === 'fused';
  return {
    name,
    train: createTrainer(net, { fused }),
    infer: () => tf.tidy(() => forward(net, images, false, fused).dataSync()),
  };
});
for (const variant of variants) {
  variant.train(images, labels);
  variant.infer();
}
const samplesOf = { torchTrain: [], torchInfer: [] };
for (const variant of variants) {
  samplesOf[`${variant.name}Train`] = [];
  samplesOf[`${variant.name}Infer`] = [];
}
const imagesPerSecond = (seconds, count) => (spec.batch * count) / seconds;
const timeSteps = (run) => {
  const started = performance.now();
  for (let step = 0; step < steps; step += 1) run();
  return imagesPerSecond((performance.now() - started) / 1000, steps);
};
for (let round = 0; round < rounds; round += 1) {
  for (const kind of ['Train', 'Infer']) {
    const [first, second] = variants;
    samplesOf[`${first.name}${kind}`].push(
      timeSteps(() => (kind === 'Train' ? first.train(images, labels) : first.infer())),
    );
    if (torch) {
      const answer = await torch.ask(`${kind.toLowerCase()} ${steps}`);
      samplesOf[`torch${kind}`].push(imagesPerSecond(answer.seconds, steps));
    }
    samplesOf[`${second.name}${kind}`].push(
      timeSteps(() => (kind === 'Train' ? second.train(images, labels) : second.infer())),
    );
  }
}
torch?.close();
const step = Object.fromEntries(
  Object.entries(samplesOf).map(([key, values]) => [key, median(values)]),
);
const rate = (value) => (value === undefined ? '-' : value.toFixed(1));
console.log(
  `\nsmall MBConv net, batch ${spec.batch} at ${spec.resolution}x${spec.resolution}, median images/s over ${rounds} rounds of ${steps} steps (x = native / torch)`,
);
for (const kind of ['Train', 'Infer']) {
  const torchRate = step[`torch${kind}`];
  const cells = variants.map(
    (variant) =>
      `native, ${variant.name} ops ${rate(step[`${variant.name}${kind}`])} (${ratio(step[`${variant.name}${kind}`], torchRate)}x)`,
  );
  console.log(
    `${kind === 'Train' ? 'training: ' : 'inference:'} torch ${rate(torchRate)}; ${cells.join('; ')}`,
  );
}
console.log(
  `load average ${loadAtStart} at start, ${load()} at end (other processes slow both sides)`,
);
disposeNet(net);
tf.dispose([images, labels]);
if (jsonPath) {
  const loadAverage = { start: Number(loadAtStart), end: Number(load()) };
  writeFileSync(
    jsonPath,
    `${JSON.stringify({ info, rounds, steps, loadAverage, ops: opRows, step }, null, 2)}\n`,
  );
}
