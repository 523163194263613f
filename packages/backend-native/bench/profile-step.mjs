// Per-kernel time of one training step (or, with --infer, one inference) on a backend:
//   node bench/profile-step.mjs [backend] [batch] [resolution] [--infer] [--fused] [--threads N]
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { enableNativeBackend } from '../dist/index.js';
import { kernelTimes } from './kernel-times.mjs';
import { createNet, createTrainer, forward, makeBatch } from './mbconv-net.mjs';

const args = process.argv.slice(2);
const positional = args.filter((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--threads');
const [backendName = 'native', batch = '64', resolution = '32'] = positional;
const threadsIndex = args.indexOf('--threads');
const threads = threadsIndex >= 0 ? Number(args[threadsIndex + 1]) : undefined;
const infer = args.includes('--infer');
const fused = args.includes('--fused');
await import('@tensorflow/tfjs');
enableNativeBackend(threads === undefined ? {} : { threads });
await tf.setBackend(backendName);
const net = createNet();
const train = createTrainer(net, { fused });
const { images, labels } = makeBatch(Number(batch), Number(resolution));
const run = infer
  ? () => tf.tidy(() => forward(net, images, false, fused).dataSync())
  : () => train(images, labels);
run();
const started = performance.now();
const profile = await tf.profile(() => {
  run();
});
const wall = performance.now() - started;
const rows = kernelTimes(profile);
const total = rows.reduce((sum, [, entry]) => sum + entry.ms, 0);
console.log(
  `${backendName}: step ${wall.toFixed(0)} ms wall (profiled), kernels ${total.toFixed(0)} ms`,
);
for (const [name, entry] of rows.slice(0, 30)) {
  console.log(
    `${name.padEnd(36)} ${entry.ms.toFixed(1).padStart(8)} ms ${String(entry.calls).padStart(5)} calls`,
  );
}
