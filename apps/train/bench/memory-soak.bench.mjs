// Memory soak: the default `supernas train` job's setup (tiny space, Fashion-MNIST, batch 64,
// the default evaluation) for many steps on one backend, with the process's resident memory
// sampled from /proc while it runs. Reports the RSS slope over training after warm-up (a leak
// shows as a steady climb; flat is the target) and the peak during training and during the
// evaluation (BN calibration and the test split for min, max and the middle subnets).
//
//   node bench/memory-soak.bench.mjs [--steps 2000] [--backend native] [--train-limit 8192]
//                                    [--warmup 200] [--interval-ms 250] [--json FILE]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '2000' },
    backend: { type: 'string', default: 'native' },
    'train-limit': { type: 'string', default: '8192' },
    warmup: { type: 'string', default: '200' },
    'interval-ms': { type: 'string', default: '250' },
    /** The test split's batch size in evaluation (default: the job's). */
    'evaluation-batch-size': { type: 'string' },
    json: { type: 'string' },
  },
});
const positive = (name) => {
  const value = Number(values[name]);
  if (!(Number.isInteger(value) && value >= 1))
    throw new RangeError(`--${name} must be a positive integer, got '${values[name]}'`);
  return value;
};
const steps = positive('steps');
const warmup = Math.min(positive('warmup'), Math.floor(steps / 2));
const intervalMs = positive('interval-ms');
const cli = join(here, '..', 'dist', 'cli.js');

const dir = mkdtempSync(join(tmpdir(), 'supernas-soak-'));
const configPath = join(dir, 'config.json');
// The default job with a training subset (the steps cycle through it) and checkpoints rarely
// enough that they do not dominate; the evaluation is the default one.
writeFileSync(
  configPath,
  JSON.stringify({
    data: { trainLimit: positive('train-limit') },
    training: { steps, checkpointEvery: 500 },
    ...(values['evaluation-batch-size'] === undefined
      ? {}
      : { evaluation: { batchSize: positive('evaluation-batch-size') } }),
  }),
);
const runDir = join(dir, 'run');
const child = spawn(
  process.execPath,
  [cli, 'train', '--config', configPath, '--run-dir', runDir, '--backend', values.backend],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE' },
  },
);
let stdout = '';
let stderr = '';
child.stdout.on('data', (chunk) => {
  stdout += chunk;
});
child.stderr.on('data', (chunk) => {
  stderr += chunk;
});

const metricsPath = join(runDir, 'metrics.jsonl');
let metricsRead = 0;
let stepsDone = 0;
function stepsRecorded() {
  // Reads only what was appended since the last sample.
  let size;
  try {
    size = statSync(metricsPath).size;
  } catch {
    return 0;
  }
  if (size > metricsRead) {
    const text = readFileSync(metricsPath, 'utf8').slice(metricsRead);
    const complete = text.lastIndexOf('\n') + 1;
    stepsDone += text.slice(0, complete).split('"type":"step"').length - 1;
    metricsRead += Buffer.byteLength(text.slice(0, complete));
  }
  return stepsDone;
}
function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const samples = [];
const startedAt = Date.now();
const timer = setInterval(() => {
  const rss = rssMb(child.pid);
  if (rss !== undefined)
    samples.push({ seconds: (Date.now() - startedAt) / 1000, step: stepsRecorded(), rss });
}, intervalMs);
const code = await new Promise((resolve) => child.on('exit', resolve));
clearInterval(timer);
rmSync(dir, { recursive: true, force: true });
if (code !== 0) {
  console.error(`memory-soak: supernas train exited ${code}:\n${stderr.slice(-2000)}`);
  process.exit(1);
}

// Least-squares slope of RSS against step over the training samples after warm-up.
const training = samples.filter((sample) => sample.step >= warmup && sample.step < steps);
const mean = (items) => items.reduce((sum, item) => sum + item, 0) / items.length;
const meanStep = mean(training.map((sample) => sample.step));
const meanRss = mean(training.map((sample) => sample.rss));
const slope =
  training.reduce((sum, sample) => sum + (sample.step - meanStep) * (sample.rss - meanRss), 0) /
  training.reduce((sum, sample) => sum + (sample.step - meanStep) ** 2, 0);
const peak = (items) => Math.max(...items.map((sample) => sample.rss));
const evaluation = samples.filter((sample) => sample.step >= steps);
const summary = {
  backend: values.backend,
  steps,
  warmup,
  samples: samples.length,
  rssAfterWarmupMb: training[0]?.rss ?? null,
  rssEndOfTrainingMb: training.at(-1)?.rss ?? null,
  slopeMbPer1000Steps: Number.isFinite(slope) ? slope * 1000 : null,
  peakTrainingMb: training.length > 0 ? peak(training) : null,
  peakEvaluationMb: evaluation.length > 0 ? peak(evaluation) : null,
  seconds: (Date.now() - startedAt) / 1000,
};
const table = stdout.split('\n').filter((line) => /^(subnet|min|mid-|max)\b/.test(line));
console.log(table.join('\n'));
console.log(
  `memory soak, ${values.backend}, ${steps} steps: RSS ${summary.rssAfterWarmupMb?.toFixed(0)} MB after ${warmup} steps, ${summary.rssEndOfTrainingMb?.toFixed(0)} MB at the end of training; slope ${summary.slopeMbPer1000Steps?.toFixed(1)} MB per 1000 steps; peak ${summary.peakTrainingMb?.toFixed(0)} MB training, ${summary.peakEvaluationMb?.toFixed(0)} MB evaluating (${summary.seconds.toFixed(0)} s)`,
);
console.log(JSON.stringify(summary));
if (values.json !== undefined)
  writeFileSync(values.json, `${JSON.stringify({ ...summary, samples }, null, 2)}\n`);
