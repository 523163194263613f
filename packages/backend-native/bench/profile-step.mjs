// Per-kernel time of one training step on a backend: node bench/profile-step.mjs [backend] [batch] [resolution]
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { enableNativeBackend } from '../dist/index.js';
import { createNet, createTrainer, makeBatch } from './mbconv-net.mjs';

const [backendName = 'native', batch = '64', resolution = '32'] = process.argv.slice(2);
await import('@tensorflow/tfjs');
enableNativeBackend();
await tf.setBackend(backendName);
const net = createNet();
const train = createTrainer(net);
const { images, labels } = makeBatch(Number(batch), Number(resolution));
train(images, labels);
const started = performance.now();
const profile = await tf.profile(() => {
  train(images, labels);
});
const wall = performance.now() - started;
const byKernel = new Map();
for (const kernel of profile.kernels) {
  const entry = byKernel.get(kernel.name) ?? { ms: 0, calls: 0 };
  entry.ms += kernel.kernelTimeMs;
  entry.calls += 1;
  byKernel.set(kernel.name, entry);
}
const rows = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((sum, [, entry]) => sum + entry.ms, 0);
console.log(
  `${backendName}: step ${wall.toFixed(0)} ms wall (profiled), kernels ${total.toFixed(0)} ms`,
);
for (const [name, entry] of rows.slice(0, 30)) {
  console.log(
    `${name.padEnd(36)} ${entry.ms.toFixed(1).padStart(8)} ms ${String(entry.calls).padStart(5)} calls`,
  );
}
