import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeRequiring } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readSampleRecords } from '../predictor/sample-records.js';
import { makeTestRun } from '../predictor/test-run.js';
import { builtCli, mpiMissingReason, mpirunTwoRanks } from '../train/mpirun-for-tests.js';
import { predictorFiles } from './predictor-build.js';

// The built CLI alone and under mpirun -np 2 on the same run: the ranks share out the archs to
// evaluate, and rank 0 gathers numbers equal to one process's. Tiny: 2 ranks share 2 cores.
const cheap = ['--holdout-limit', '16'];

function alone(args: readonly string[]) {
  return spawnSync(process.execPath, [builtCli, ...args], { encoding: 'utf8', timeout: 300_000 });
}

function twoRanks(args: readonly string[]) {
  return spawnSync('mpirun', [...mpirunTwoRanks, process.execPath, builtCli, ...args], {
    encoding: 'utf8',
    timeout: 300_000,
  });
}

const topOnes = (records: ReadonlyArray<{ key: string; calibrationSeed: number; top1: number }>) =>
  records.map((record) => [record.key, record.calibrationSeed, record.top1]);

describeRequiring('mpi', mpiMissingReason(), 'fanned-out evaluation under mpirun -np 2', () => {
  let root = '';
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'supernas-fanout-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('predictor build: the same samples and noise top-1 as one process, rank 0 alone writing', async () => {
    const args = [
      'predictor',
      'build',
      '--samples',
      '6',
      '--fit-samples',
      '3',
      '--predictor',
      'ridge',
      '--noise-archs',
      '1',
      '--noise-seeds',
      '2',
      ...cheap,
    ];
    const single = await makeTestRun(root, 'single');
    const one = alone([...args, '--run', single]);
    expect(one.stderr).not.toMatch(/error/i);
    expect(one.status).toBe(0);

    const shared = await makeTestRun(root, 'shared');
    const job = twoRanks([...args, '--run', shared]);
    expect(job.stderr).not.toMatch(/error/i);
    expect(job.status).toBe(0);
    expect(job.stdout).toContain(
      'distributed: 2 ranks over mpi; the archs to evaluate are shared out, rank 0 writes',
    );
    expect(job.stdout.match(/^predictor build: 6 archs/gm)).toHaveLength(1);
    expect(job.stdout.match(/^wrote .*predictor\.json: ridge/gm)).toHaveLength(1);
    expect(job.stderr.match(/^samples \[#+\] 6\/6 /gm)).toHaveLength(1);

    const [samples, reference] = await Promise.all(
      [shared, single].map((runDir) => readSampleRecords(predictorFiles(runDir).samples)),
    );
    expect(samples).toHaveLength(6);
    expect(topOnes(samples!)).toEqual(topOnes(reference!));
    const [noise, referenceNoise] = await Promise.all(
      [shared, single].map((runDir) => readSampleRecords(predictorFiles(runDir).noise)),
    );
    expect(noise).toHaveLength(2);
    expect(topOnes(noise!)).toEqual(topOnes(referenceNoise!));
    const [predictor, referencePredictor] = await Promise.all(
      [shared, single].map((runDir) => readFile(predictorFiles(runDir).predictor, 'utf8')),
    );
    expect(predictor).toBe(referencePredictor);
  }, 600_000);

  it('search --fitness eval: the same generations, chosen arch and held-out top-1 as one process', async () => {
    const runDir = await makeTestRun(root, 'search');
    const args = (out: string) => [
      'search',
      '--run',
      runDir,
      '--out',
      join(root, out),
      '--fitness',
      'eval',
      '--max-mflops',
      '1.2',
      '--population',
      '2',
      '--generations',
      '2',
      ...cheap,
    ];
    const one = alone(args('alone'));
    expect(one.stderr).not.toMatch(/error/i);
    expect(one.status).toBe(0);
    const job = twoRanks(args('fanned-out'));
    expect(job.stderr).not.toMatch(/error/i);
    expect(job.status).toBe(0);
    expect(job.stdout).toContain(
      'distributed: 2 ranks over mpi; the archs of each generation are shared out, rank 0 writes',
    );

    const linesOf = (stdout: string, pattern: RegExp) =>
      stdout.split('\n').filter((line) => pattern.test(line));
    const chosen = linesOf(job.stdout, /^chosen arch: held-out top-1 \d+\.\d\d% \(16 images\)/);
    expect(chosen).toHaveLength(1);
    expect(chosen).toEqual(linesOf(one.stdout, /^chosen arch:/));
    expect(linesOf(job.stdout, /^best: held-out/)).toEqual(linesOf(one.stdout, /^best: held-out/));
    expect(linesOf(job.stdout, /^generation /).map((line) => line.replace(/ \(.*\)$/, ''))).toEqual(
      linesOf(one.stdout, /^generation /).map((line) => line.replace(/ \(.*\)$/, '')),
    );
    const [arch, referenceArch, pareto, referencePareto] = await Promise.all(
      [
        'fanned-out/arch.json',
        'alone/arch.json',
        'fanned-out/pareto.json',
        'alone/pareto.json',
      ].map((file) => readFile(join(root, file), 'utf8')),
    );
    expect(arch).toBe(referenceArch);
    expect(JSON.parse(pareto!).fronts).toEqual(JSON.parse(referencePareto!).fronts);
  }, 600_000);
});
