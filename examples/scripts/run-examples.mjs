#!/usr/bin/env node
// Runs the quick examples, compiled to dist/ against the built packages (as a user would run
// them), and checks each exits 0 and prints what its README promises. The trainer example
// trains for 1.5 epochs: it is type-checked, not run here.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const required = new Set(
  (process.env.SUPERNAS_REQUIRE ?? '').split(',').map((name) => name.trim().toLowerCase()),
);
const distDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** [compiled file, what its output must match, which stream, a check of the match]. */
const examples = [
  [
    'errors/print-supernas-error.js',
    /^error: budget must be a positive number of MFLOPs, got -5 \[invalid_budget\]$/m,
    'stderr',
  ],
  [
    'search-space/sample-and-mutate.js',
    /^r192_w16-16-24-32-64-112-192-216-1792_\S+ (?:(?:0|1|0\.\d+) ?)+$/m,
    'stdout',
  ],
  ['flops/count-flops.js', /^203\.39 9064648\n\d+ true$/m, 'stdout'],
  ['samplers/attentive-sandwich.js', /^4 \S/m, 'stdout'],
  ['losses/distillation-loss.js', /^loss \d+\.\d{4}, \d+ gradients$/m, 'stdout'],
  [
    'elastic/train-and-extract.js',
    /subnet logits within (\S+) of the supernet's$/m,
    'stdout',
    ([, difference]) => Number(difference) < 1e-4,
  ],
  ['elastic/save-load-export.js', /^resumed at step 100, exported a graph model/m, 'stdout'],
  [
    'data/fashion-mnist-batches.js',
    /^\[ 128, 28, 28, 1 \] \d\nevaluated (\d+) of \1 images/m,
    'stdout',
  ],
  [
    'wasm-backprop/depthwise-gradients.js',
    /^loss on wasm: (\S+) -> (\S+)$/m,
    'stdout',
    // One SGD step through the registered gradient kernels must lower the loss.
    ([, before, after]) => Number(after) < Number(before),
  ],
  // Prints how it got the native backend, or why it could not (a build without oneDNN).
  [
    'backend-native/enable-native-backend.js',
    /^(oneDNN \d+\.\d+\.\d+ \(\S+\), 2 threads|native backend unavailable: .+)$/m,
    'both',
    // Under SUPERNAS_REQUIRE=native (CI), the addon must load.
    ([line]) => !required.has('native') || line.startsWith('oneDNN'),
  ],
];

let failures = 0;
for (const [file, expected, stream, check = () => true] of examples) {
  const path = join(distDir, file);
  if (!existsSync(path)) {
    console.error(`FAIL ${file}: not built (run pnpm build)`);
    failures++;
    continue;
  }
  const started = Date.now();
  const result = spawnSync(process.execPath, [path], { encoding: 'utf8', timeout: 120_000 });
  const output =
    stream === 'both'
      ? `${result.stdout}${result.stderr}`
      : result[stream === 'stderr' ? 'stderr' : 'stdout'];
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const match = expected.exec(output);
  if (result.status !== 0 || match === null || !check(match)) {
    console.error(
      `FAIL ${file} (exit ${result.status}${result.signal ? `, ${result.signal}` : ''}, ${seconds} s): expected ${expected}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`,
    );
    failures++;
  } else {
    console.log(`ok   ${file} (${seconds} s)`);
  }
}
if (failures > 0) {
  console.error(`${failures} of ${examples.length} examples failed`);
  process.exit(1);
}
console.log(`${examples.length} examples passed`);
