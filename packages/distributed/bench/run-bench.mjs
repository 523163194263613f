#!/usr/bin/env node
// `pnpm bench`: allreduce latency and bandwidth on this machine under mpirun (2 ranks by default,
// SUPERNAS_BENCH_RANKS to change), at a sweep of sizes and at the supernets' gradient sizes.
// Prints a table and a fit of the ring cost model t = 2 (N-1) alpha + 2 (N-1)/N * bytes / B.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ranks = Number(process.env.SUPERNAS_BENCH_RANKS ?? 2);
const script = fileURLToPath(new URL('./allreduce.mjs', import.meta.url));
const result = spawnSync(
  'mpirun',
  ['--allow-run-as-root', '--oversubscribe', '-np', String(ranks), process.execPath, script],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
if (result.status !== 0) {
  console.error(result.stdout);
  console.error(`bench: mpirun exited with ${result.status ?? result.signal}`);
  process.exit(1);
}
const line = result.stdout.split('\n').find((text) => text.startsWith('BENCH '));
const bench = JSON.parse(line.slice('BENCH '.length));
const factor = (2 * (bench.ranks - 1)) / bench.ranks;
const ms = (seconds) => (seconds * 1000).toFixed(3).padStart(10);
const gbps = (bytes, seconds) => ((factor * bytes) / seconds / 1e9).toFixed(2).padStart(7);

console.log(
  `${bench.library}, ${bench.ranks} ranks on one host (median of timed runs, slowest rank)`,
);
console.log('\n      bytes   async ms    sync ms   bus GB/s (async)');
for (const row of bench.sweep)
  console.log(
    `${String(row.bytes).padStart(11)} ${ms(row.asyncSeconds)} ${ms(row.syncSeconds)} ${gbps(row.bytes, row.asyncSeconds)}`,
  );

// alpha from the smallest message; B from the best bus bandwidth of the sweep (large messages
// fall out of the caches and share memory bandwidth with whatever else runs).
const smallest = bench.sweep[0];
const alpha = smallest.asyncSeconds / (2 * (bench.ranks - 1));
const busBandwidth = (row) =>
  (factor * row.bytes) / Math.max(1e-9, row.asyncSeconds - 2 * (bench.ranks - 1) * alpha);
const best = bench.sweep
  .filter((row) => row.bytes >= 65_536)
  .reduce((a, b) => (busBandwidth(b) > busBandwidth(a) ? b : a));
const bandwidth = busBandwidth(best);
const largest = bench.sweep.at(-1);
console.log(
  `\nring model fit: alpha = ${(alpha * 1e6).toFixed(1)} us per step; B = ${(bandwidth / 1e9).toFixed(2)} GB/s at ${best.bytes} bytes, ${(busBandwidth(largest) / 1e9).toFixed(2)} GB/s at ${largest.bytes}`,
);

console.log(
  '\nspace          floats      MB  one buffer ms   buckets of 1 / 4 / 25 MiB (ms)   tfjs, 4 MiB ms',
);
for (const row of bench.gradients)
  console.log(
    `${row.space.padEnd(13)} ${String(row.floats).padStart(9)} ${(row.bytes / 1e6).toFixed(1).padStart(7)} ${ms(row.oneBuffer)}    ${Object.values(row.bucketed).map(ms).join('')}  ${ms(row.throughTfjs)}`,
  );

console.log('\nring model with this alpha and the best B, N workers (ms): 8, 64');
for (const row of bench.gradients) {
  const predict = (n) => 2 * (n - 1) * alpha + ((2 * (n - 1)) / n) * (row.bytes / bandwidth);
  console.log(
    `${row.space.padEnd(13)} ${(predict(8) * 1000).toFixed(2)}, ${(predict(64) * 1000).toFixed(2)}`,
  );
}
