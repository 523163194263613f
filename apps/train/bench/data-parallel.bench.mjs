// Data-parallel training on one host: the default `supernas train` job (tiny space,
// Fashion-MNIST, global batch 64, attentive BestUp, alpha-divergence, backend auto) for a few
// steps, in 1 process with 2 compute threads against mpirun -np 2 with 1 thread each (the same
// global batch, 32 images per rank). Prints the median images/s of each, and for the 2-rank job
// the share of step time spent in collectives (gradient allreduce, loss reductions; it includes
// waiting for the slower rank). Needs `pnpm build` and Open MPI.
//
//   node bench/data-parallel.bench.mjs [--steps 8] [--rounds 2] [--warmup 2] [--json FILE]
//                                      [--kinds 1x2,2x1,1x1]
//
// Each rank's job runs through runTraining with the CLI's own distributed run; this script only
// wraps the run's dataParallel hook with timers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '2' },
    kinds: { type: 'string', default: '1x2,2x1,1x1' },
    json: { type: 'string' },
    worker: { type: 'boolean', default: false },
  },
});
const steps = Number(values.steps);
const warmup = Number(values.warmup);
if (!(Number.isInteger(steps) && Number.isInteger(warmup) && steps > warmup && warmup >= 0))
  throw new RangeError(`--steps must be an integer above --warmup, got ${steps} and ${warmup}`);

const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

if (values.worker) await worker();
else driver();

/** One rank (or the single process): trains `steps` steps, rank 0 prints per-step timings. */
async function worker() {
  const dist = new URL('../dist/', import.meta.url);
  const { runTraining } = await import(new URL('train/run-training.js', dist).href);
  const { startDistributedRun } = await import(new URL('train/distributed.js', dist).href);
  const { parseTrainConfig } = await import(new URL('train/config.js', dist).href);
  const quiet = { stdout: () => undefined, stderr: (text) => process.stderr.write(text) };
  const run = startDistributedRun(quiet);
  let communicating = 0;
  const timed =
    (call) =>
    async (...args) => {
      const startedAt = performance.now();
      try {
        return await call(...args);
      } finally {
        communicating += performance.now() - startedAt;
      }
    };
  const parallel = run.dataParallel;
  const distributed =
    parallel === undefined
      ? run
      : {
          ...run,
          dataParallel: {
            rank: parallel.rank,
            size: parallel.size,
            reduceGradients: timed(parallel.reduceGradients),
            reduceLosses: timed(parallel.reduceLosses),
            reduceCandidateLosses: timed(parallel.reduceCandidateLosses),
            // Between steps, outside the step's time: not counted.
            anyRank: parallel.anyRank,
          },
        };
  const runDir = process.env.SUPERNAS_BENCH_RUN_DIR;
  const records = [];
  const result = await runTraining({
    config: parseTrainConfig({
      // Only the training examples the steps read are loaded; the step is the default job's.
      data: { trainLimit: 64 * (steps + 1), testLimit: 64 },
      training: { steps, checkpointEvery: 0 },
    }),
    runDir,
    io: quiet,
    distributed,
    skipEvaluation: true,
    onStep: (record) => {
      records.push({
        step: record.step,
        stepSeconds: record.stepSeconds,
        imagesPerSecond: record.imagesPerSecond,
        communicatingSeconds: communicating / 1000,
      });
      communicating = 0;
    },
  });
  if (run.isWriter)
    process.stdout.write(
      `BENCH ${JSON.stringify({ size: run.size, backend: result.backend.description, records })}\n`,
    );
  await run.collective.close();
}

function launch(kind) {
  const runDir = mkdtempSync(join(tmpdir(), 'supernas-dp-bench-'));
  const script = fileURLToPath(import.meta.url);
  const args = [script, '--worker', '--steps', String(steps)];
  // As in sandwich.bench.mjs: OpenMP threads that spin while waiting steal the cores of the
  // other rank (and of whatever else runs) on a loaded machine.
  const env = {
    ...process.env,
    OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE',
    SUPERNAS_BENCH_RUN_DIR: runDir,
  };
  const result =
    kind !== '2x1'
      ? spawnSync(process.execPath, args, {
          encoding: 'utf8',
          env: { ...env, OMP_NUM_THREADS: kind === '1x2' ? '2' : '1' },
        })
      : spawnSync(
          'mpirun',
          [
            '--allow-run-as-root',
            '--oversubscribe',
            // As the README advises: pinned to one core each, ranks cannot dodge other jobs.
            '--bind-to',
            'none',
            '-np',
            '2',
            '-x',
            'OMP_NUM_THREADS=1',
            '-x',
            'OMP_WAIT_POLICY',
            '-x',
            'SUPERNAS_BENCH_RUN_DIR',
            process.execPath,
            ...args,
          ],
          { encoding: 'utf8', env },
        );
  rmSync(runDir, { recursive: true, force: true });
  if (result.status !== 0) {
    process.stderr.write(result.stderr);
    throw new Error(`bench: the ${kind} job exited with ${result.status ?? result.signal}`);
  }
  const line = result.stdout.split('\n').find((text) => text.startsWith('BENCH '));
  const { records, backend } = JSON.parse(line.slice('BENCH '.length));
  const timed = records.slice(warmup);
  return {
    backend,
    imagesPerSecond: median(timed.map((record) => record.imagesPerSecond)),
    stepSeconds: median(timed.map((record) => record.stepSeconds)),
    communicatingShare:
      timed.reduce((sum, record) => sum + record.communicatingSeconds, 0) /
      timed.reduce((sum, record) => sum + record.stepSeconds, 0),
  };
}

function driver() {
  const rounds = Number(values.rounds);
  const kinds = values.kinds.split(',');
  for (const kind of kinds)
    if (!['1x2', '2x1', '1x1'].includes(kind))
      throw new RangeError(`--kinds: '${kind}' is not one of 1x2, 2x1, 1x1`);
  const results = Object.fromEntries(kinds.map((kind) => [kind, []]));
  // Alternating rounds, so a change in the machine's load hits both.
  for (let round = 0; round < rounds; round++)
    for (const kind of kinds) results[kind].push(launch(kind));
  const range = (list, key, digits) => {
    const numbers = list.map((entry) => entry[key]);
    const low = Math.min(...numbers).toFixed(digits);
    const high = Math.max(...numbers).toFixed(digits);
    return low === high ? low : `${low}-${high}`;
  };
  console.log(
    `default supernas train job, global batch 64, ${steps} steps (first ${warmup} not timed), ${rounds} alternating rounds, OMP_WAIT_POLICY=${process.env.OMP_WAIT_POLICY ?? 'PASSIVE'}; medians per round, range over rounds`,
  );
  console.log(`backend: ${results[kinds[0]][0].backend}`);
  console.log('\njob                       images/s   step s   in collectives');
  for (const [kind, label] of [
    ['1x2', '1 process x 2 threads'],
    ['2x1', '2 processes x 1 thread'],
    ['1x1', '1 process x 1 thread'],
  ]) {
    const list = results[kind];
    if (list === undefined) continue;
    const share = kind !== '2x1' ? '-' : `${range(list, 'communicatingShare', 3)} of step`;
    console.log(
      `${label.padEnd(25)} ${range(list, 'imagesPerSecond', 1).padStart(9)} ${range(list, 'stepSeconds', 3).padStart(8)}   ${share}`,
    );
  }
  if (values.json !== undefined)
    writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
}
