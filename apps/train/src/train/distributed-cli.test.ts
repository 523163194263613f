import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSupernet } from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
import { getSearchSpace } from '@supernas/search-space';
import { describeRequiring } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { weightsDigest } from './distributed.js';
import { builtCli, mpiMissingReason, mpirunTwoRanks } from './mpirun-for-tests.js';

// End to end through the built CLI under mpirun, 2 ranks on loopback: the job `pnpm supernas
// train` runs when a user starts it with mpirun.

// Tiny on purpose: 2 ranks share 2 loaded cores.
const config = {
  backend: 'wasm',
  data: { trainLimit: 256, testLimit: 32, batchSize: 32 },
  training: { steps: 3, checkpointEvery: 1 },
  evaluation: { calibrationBatches: 2, calibrationBatchSize: 32, middleArchs: 1, batchSize: 32 },
};

const mpirun = mpirunTwoRanks;

interface Ended {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function stepsIn(metrics: string): number[] {
  return metrics
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; step: number })
    .filter((record) => record.type === 'step')
    .map((record) => record.step);
}

describeRequiring('mpi', mpiMissingReason(), 'supernas train under mpirun -np 2', () => {
  let root = '';
  let configFile = '';
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'supernas-mpicli-'));
    configFile = join(root, 'config.json');
    await writeFile(configFile, JSON.stringify(config));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('ends with bit-identical weights on both ranks, rank 0 writing, and resumes in one process and back', async () => {
    const runDir = join(root, 'run');
    const digests = join(root, 'digests');
    await mkdir(digests);
    const job = spawnSync(
      'mpirun',
      [
        ...mpirun,
        '-x',
        'SUPERNAS_TEST_WEIGHTS_DIR',
        process.execPath,
        builtCli,
        'train',
        '--distributed',
        'mpi',
        '--config',
        configFile,
        '--run-dir',
        runDir,
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, SUPERNAS_TEST_WEIGHTS_DIR: digests },
        timeout: 600_000,
      },
    );
    expect(job.stderr).not.toMatch(/error/i);
    expect(job.status).toBe(0);
    // Rank 0 alone prints, writes metrics (one record per step) and the results.
    expect(job.stdout).toContain(
      'distributed: 2 ranks over mpi; each global batch is split 2 ways',
    );
    expect(job.stdout.match(/^training tiny supernet/gm)).toHaveLength(1);
    expect(stepsIn(await readFile(join(runDir, 'metrics.jsonl'), 'utf8'))).toEqual([1, 2, 3]);
    const results = JSON.parse(await readFile(join(runDir, 'results.json'), 'utf8')) as {
      subnets: Array<{ label: string; top1: number; examples: number }>;
    };
    expect(results.subnets.map((subnet) => subnet.label)).toEqual(['min', 'mid-1', 'max']);

    // Both ranks hold the same weights, and they are the checkpoint's.
    expect(readdirSync(digests).sort()).toEqual(['rank-0.sha256', 'rank-1.sha256']);
    const [first, second] = ['rank-0.sha256', 'rank-1.sha256'].map((name) =>
      readFileSync(join(digests, name), 'utf8').trim(),
    );
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toBe(first);
    const loaded = await loadSupernet(fileSystemHandler(join(runDir, 'checkpoint')), {
      space: getSearchSpace('tiny'),
    });
    expect(loaded.step).toBe(3);
    expect(weightsDigest(loaded.supernet.variables)).toBe(first);
    loaded.supernet.dispose();

    // The fanned-out evaluation equals one process evaluating the same weights.
    const single = spawnSync(
      process.execPath,
      [builtCli, 'eval', '--run', runDir, '--preset', 'max', '--json'],
      { encoding: 'utf8', timeout: 300_000 },
    );
    expect(single.status).toBe(0);
    const max = JSON.parse(single.stdout.trim().split('\n').at(-1)!) as { top1: number };
    expect(results.subnets.at(-1)!.top1).toBe(max.top1);

    // The 2-rank run continues in one process.
    const resumed = spawnSync(
      process.execPath,
      [builtCli, 'train', '--resume', runDir, '--steps', '5'],
      { encoding: 'utf8', timeout: 300_000 },
    );
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain(`resuming ${runDir} at step 3 of 5`);
    expect(stepsIn(await readFile(join(runDir, 'metrics.jsonl'), 'utf8'))).toEqual([1, 2, 3, 4, 5]);

    // And back to 2 ranks, which restore the same checkpoint and stay identical.
    await rm(digests, { recursive: true });
    await mkdir(digests);
    const back = spawnSync(
      'mpirun',
      [
        ...mpirun,
        '-x',
        'SUPERNAS_TEST_WEIGHTS_DIR',
        process.execPath,
        builtCli,
        'train',
        '--resume',
        runDir,
        '--steps',
        '7',
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, SUPERNAS_TEST_WEIGHTS_DIR: digests },
        timeout: 600_000,
      },
    );
    expect(back.stderr).not.toMatch(/error/i);
    expect(back.status).toBe(0);
    expect(back.stdout).toContain(`resuming ${runDir} at step 5 of 7`);
    expect(stepsIn(await readFile(join(runDir, 'metrics.jsonl'), 'utf8'))).toEqual([
      1, 2, 3, 4, 5, 6, 7,
    ]);
    const [again, againOther] = ['rank-0.sha256', 'rank-1.sha256'].map((name) =>
      readFileSync(join(digests, name), 'utf8').trim(),
    );
    expect(againOther).toBe(again);
    expect(again).not.toBe(first);
  }, 900_000);

  it('ends the whole job with an error naming the rank when one rank is killed, the checkpoint intact', async () => {
    const runDir = join(root, 'killed');
    const job = await startAndWaitForCheckpoint(runDir, []);
    const killedAt = performance.now();
    process.kill(job.rankOne, 'SIGKILL');
    const outcome = await job.ended;
    const seconds = (performance.now() - killedAt) / 1000;

    expect(outcome.status).not.toBe(0);
    expect(outcome.stderr).toMatch(/process rank 1 with PID \d+ on node \S+ exited on signal 9/);
    expect(seconds).toBeLessThan(60);
    // The steps written so far are whole, and the checkpoint loads.
    const steps = stepsIn(await readFile(join(runDir, 'metrics.jsonl'), 'utf8'));
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.at(-1)!).toBeLessThan(500);
    const loaded = await loadSupernet(fileSystemHandler(join(runDir, 'checkpoint')), {
      space: getSearchSpace('tiny'),
    });
    expect(loaded.step).toBeGreaterThan(0);
    loaded.supernet.dispose();
  }, 600_000);

  it('ends the whole job naming the rank that hangs, after --collective-timeout', async () => {
    const job = await startAndWaitForCheckpoint(join(root, 'hung'), ['--collective-timeout', '3']);
    const stoppedAt = performance.now();
    process.kill(job.rankOne, 'SIGSTOP');
    const outcome = await job.ended;
    // MPI_Abort's own banner is left out: mpirun sometimes fails to print it under load.
    expect((performance.now() - stoppedAt) / 1000).toBeLessThan(60);
    expect(outcome.status).not.toBe(0);
    // SIGSTOP lands either between collectives (rank 1 never reaches the next) or inside one
    // (rank 1 reached it, then went silent); rank 0 names rank 1 either way.
    expect(outcome.stderr).toMatch(
      /rank 0 of 2: \w+ #\d+ did not complete within 3\.0 s; waiting for rank 1 \((last at #\d+\): never reached|at #\d+, silent for [\d.]+ s\): reached it, then went silent)/,
    );
  }, 600_000);

  it("ends every rank with rank 0's error when it fails alone (a folder that holds a run)", async () => {
    const runDir = join(root, 'taken');
    await mkdir(join(runDir, 'checkpoint'), { recursive: true });
    await writeFile(join(runDir, 'checkpoint', 'model.json'), '{}');
    const job = spawnSync(
      'mpirun',
      [...mpirun, process.execPath, builtCli, 'train', '--config', configFile, '--run-dir', runDir],
      { encoding: 'utf8', timeout: 300_000 },
    );
    expect(job.status).toBe(1);
    const message = `${runDir} holds a run with a checkpoint: continue it with supernas train --resume ${runDir}, or choose another --run-dir`;
    expect(job.stderr).toContain(`error: ${message}\n`);
    expect(job.stderr).toContain(`[rank 1] error: rank 0 failed: ${message}\n`);
    // Not asserted: mpirun's MPI_ABORT banner, which Open MPI 4.1 sometimes fails to print
    // (`ORTE_ERROR_LOG: Data unpack would read past end of buffer` in show_help.c).
  }, 300_000);

  /** Starts a long 2-rank run, waits for its first checkpoint, and finds rank 1's process. */
  async function startAndWaitForCheckpoint(
    runDir: string,
    extra: readonly string[],
  ): Promise<{ rankOne: number; ended: Promise<Ended> }> {
    const child = spawn(
      'mpirun',
      [
        ...mpirun,
        process.execPath,
        builtCli,
        'train',
        '--config',
        configFile,
        '--steps',
        '500',
        '--run-dir',
        runDir,
        ...extra,
      ],
      { env: process.env },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const ended = new Promise<Ended>((resolve) =>
      child.on('close', (status) => resolve({ status, stdout, stderr })),
    );
    const deadline = performance.now() + 300_000;
    while (
      !existsSync(join(runDir, 'checkpoint', 'model.json')) ||
      !existsSync(join(runDir, 'metrics.jsonl'))
    ) {
      if (child.exitCode !== null) break;
      if (performance.now() > deadline) {
        child.kill('SIGKILL');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The ranks are this mpirun's children; the environment says which is rank 1.
    const rankOne = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n')
      .find(
        (pid) =>
          pid !== '' &&
          readFileSync(`/proc/${pid}/environ`, 'utf8')
            .split('\0')
            .includes('OMPI_COMM_WORLD_RANK=1'),
      );
    if (rankOne === undefined) {
      child.kill('SIGKILL');
      throw new Error(`rank 1 of mpirun ${child.pid} not found; stderr: ${stderr}`);
    }
    return { rankOne: Number(rankOne), ended };
  }
});
