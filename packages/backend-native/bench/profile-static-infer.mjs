// Where one inference of an extracted static subnet goes, on one backend:
//   node bench/profile-static-infer.mjs [--space tiny] [--arch max|min|a0] [--batch 1]
//        [--backend native] [--runs 200] [--threads 2] [--op-by-op]
// Prints the wall time per forward (median), the kernels tfjs dispatched and their own time
// (tf.profile), the time inside the addon's functions, and what is left: tfjs engine, JS glue.
// --op-by-op unregisters the compiled-plan kernel (SupernasStaticSubnet), so the subnet runs one
// tfjs op per graph node, as before the plan existed.
import { parseArgs } from 'node:util';
import { createSupernet, extractSubnet, runStaticSubnet } from '@supernas/elastic';
import { attentivenasSpace, maxArch, minArch, tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { enableNativeBackend, staticSubnetKernelName } from '../dist/index.js';
import { lowerInferenceGraph } from '../dist/infer/lower-inference-graph.js';
import { loadAddon } from '../dist/load-addon.js';
import { kernelTimes } from './kernel-times.mjs';

const { values } = parseArgs({
  options: {
    space: { type: 'string', default: 'tiny' },
    arch: { type: 'string', default: 'max' },
    batch: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'native' },
    runs: { type: 'string', default: '200' },
    threads: { type: 'string', default: '2' },
    'op-by-op': { type: 'boolean', default: false },
  },
});
const A0 = {
  resolution: 192,
  width: [16, 16, 24, 32, 64, 112, 192, 216, 1792],
  depth: [1, 3, 3, 3, 3, 3, 1],
  kernelSize: [3, 3, 3, 3, 3, 3, 3],
  expandRatio: [1, 4, 4, 4, 4, 6, 6],
};
const space = values.space === 'tiny' ? tinySpace : attentivenasSpace;
const arch = values.arch === 'a0' ? A0 : values.arch === 'min' ? minArch(space) : maxArch(space);
const channels = values.space === 'tiny' ? 1 : 3;
const classes = values.space === 'tiny' ? 10 : 1000;
enableNativeBackend({ threads: Number(values.threads) });
if (values['op-by-op']) tf.unregisterKernel(staticSubnetKernelName, 'native');
await tf.setBackend(values.backend);

// Time spent inside the addon's functions, by function.
const addon = loadAddon().addon;
const addonTime = new Map();
for (const name of Object.keys(addon)) {
  const original = addon[name];
  if (typeof original !== 'function') continue;
  addon[name] = (...args) => {
    const start = performance.now();
    const result = original(...args);
    const entry = addonTime.get(name) ?? { ms: 0, calls: 0 };
    entry.ms += performance.now() - start;
    entry.calls += 1;
    addonTime.set(name, entry);
    return result;
  };
}

const supernet = createSupernet(space, { numClasses: classes, inputChannels: channels, seed: 0 });
const subnet = extractSubnet(supernet, { ...arch });
supernet.dispose();
const batch = Number(values.batch);
const x = tf.randomNormal([batch, arch.resolution, arch.resolution, channels], 0, 1, 'float32', 0);
const forward = () => {
  const logits = runStaticSubnet(subnet, x);
  logits.dataSync();
  logits.dispose();
};
for (let run = 0; run < 20; run++) forward();
addonTime.clear();
const runs = Number(values.runs);
const times = [];
for (let run = 0; run < runs; run++) {
  const start = performance.now();
  forward();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const wall = times[times.length >> 1];
const inAddon = [...addonTime.values()].reduce((sum, entry) => sum + entry.ms, 0) / runs; // a mean
const profile = await tf.profile(() => forward());
console.log(
  `${values.space} ${values.arch} batch ${batch} on ${values.backend}${values['op-by-op'] ? ' (op by op)' : ''}: ${wall.toFixed(3)} ms per forward (median of ${runs}, ${times[0].toFixed(3)}-${times[times.length - 1].toFixed(3)}); ${profile.kernels.length} kernels; ${subnet.nodes.length} graph nodes`,
);
console.log(`  inside the addon: ${inAddon.toFixed(3)} ms per forward (mean, outliers included)`);
for (const [name, entry] of [...addonTime.entries()].sort((a, b) => b[1].ms - a[1].ms))
  console.log(
    `    ${name.padEnd(24)} ${(entry.ms / runs).toFixed(3).padStart(8)} ms ${String(entry.calls / runs).padStart(5)} calls`,
  );
console.log('  kernels (tf.profile, one forward, profiler overhead included):');
for (const [name, entry] of kernelTimes(profile))
  console.log(
    `    ${name.padEnd(24)} ${entry.ms.toFixed(3).padStart(8)} ms ${String(entry.calls).padStart(5)} calls`,
  );

if (!values['op-by-op'] && values.backend === 'native') {
  // The compiled plan's own ops, timed inside the addon (the same plan the kernel builds).
  const weights = new Map(
    [...subnet.weights].map(([name, tensor]) => [
      name,
      { values: tensor.dataSync(), shape: tensor.shape },
    ]),
  );
  const started = performance.now();
  const spec = lowerInferenceGraph(subnet.nodes, weights, x.shape);
  const lowered = performance.now();
  const plan = addon.inferPlanCreate(spec);
  const built = performance.now();
  const input = x.dataSync();
  const output = new Float32Array(spec.outputSize);
  const seconds = new Float64Array(spec.ops.length);
  for (let run = 0; run < 20; run++) addon.inferPlanRun(plan, input, output);
  const labels = spec.ops.map((op) =>
    op.kind === 'conv'
      ? `conv ${op.dims[17] ? 'depthwise' : op.dims[7] === 1 ? '1x1' : `${op.dims[7]}x${op.dims[8]}`}${op.dims[4] === 1 && op.dims[5] === 1 ? ' on 1x1 (SE)' : ''}`
      : op.kind,
  );
  // Per kind, the median over runs of its time in a run (means would be all outliers here).
  const perRun = new Map(labels.map((label) => [label, []]));
  for (let run = 0; run < runs; run++) {
    seconds.fill(0);
    addon.inferPlanRun(plan, input, output, seconds);
    const sums = new Map();
    labels.forEach((label, index) => {
      sums.set(label, (sums.get(label) ?? 0) + seconds[index]);
    });
    for (const [label, sum] of sums) perRun.get(label).push(1000 * sum);
  }
  const byKind = new Map();
  for (const [label, samples] of perRun) {
    samples.sort((a, b) => a - b);
    byKind.set(label, {
      ms: samples[samples.length >> 1],
      count: labels.filter((other) => other === label).length,
    });
  }
  const total = [...byKind.values()].reduce((sum, entry) => sum + entry.ms, 0);
  console.log(
    `  compiled plan: ${spec.ops.length} ops, ${spec.buffers.length} buffers (${((spec.buffers.reduce((a, b) => a + b, 0) * 4) / 1024).toFixed(0)} KiB); lowering ${(lowered - started).toFixed(1)} ms, building ${(built - lowered).toFixed(1)} ms once; ops ${total.toFixed(3)} ms per forward (medians by kind):`,
  );
  for (const [label, entry] of [...byKind.entries()].sort((a, b) => b[1].ms - a[1].ms))
    console.log(
      `    ${label.padEnd(24)} ${entry.ms.toFixed(3).padStart(8)} ms ${String(entry.count).padStart(5)} ops`,
    );
  addon.inferPlanRelease(plan);
}
