import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPredictor } from '@supernas/predictors';
import { archKey, getSearchSpace, maxArch, minArch } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.js';
import { readSampleRecords } from '../predictor/sample-records.js';
import { makeTestRun } from '../predictor/test-run.js';
import { runCli } from '../program.js';
import { noiseWarning, predictorFiles } from './predictor-build.js';

const space = getSearchSpace('tiny');
const cheap = ['--holdout-limit', '32', '--noise-archs', '2', '--noise-seeds', '2'];

describe('supernas predictor build', () => {
  let root: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'supernas-predictor-build-'));
  });

  it('evaluates min, max and uniform archs on the held-out images, measures the noise, saves the best predictor, and resumes from its samples', async () => {
    const runDir = await makeTestRun(root);
    const files = predictorFiles(runDir);
    const io = captureIo();
    const args = ['predictor', 'build', '--run', runDir, '--samples', '8', '--fit-samples', '4'];
    const code = await runCli([...args, '--predictor', 'ridge', ...cheap], io);
    expect(io.err()).not.toMatch(/error/);
    expect(code).toBe(0);
    expect(io.out()).toMatch(/evaluated on 32 held-out images/);

    const samples = await readSampleRecords(files.samples);
    expect(samples).toHaveLength(8);
    expect(samples.slice(0, 2).map((record) => record.key)).toEqual([
      archKey(minArch(space)),
      archKey(maxArch(space)),
    ]);
    expect(new Set(samples.map((record) => record.key)).size).toBe(8);
    for (const record of samples) {
      expect(record.examples).toBe(32);
      expect(record.top1).toBeGreaterThanOrEqual(0);
      expect(record.top1).toBeLessThanOrEqual(1);
      expect(record.calibrationSeed).toBe(0);
    }
    const noise = await readSampleRecords(files.noise);
    expect(noise.map((record) => [record.key, record.calibrationSeed])).toEqual([
      [samples[0]!.key, 1],
      [samples[0]!.key, 2],
      [samples[1]!.key, 1],
      [samples[1]!.key, 2],
    ]);
    expect(io.out()).toMatch(
      /evaluation noise: the same arch BN-calibrated on 2 different sets of training batches moves top-1 by a std of \d+\.\d\d points \(mean over 2 archs; largest \d+\.\d\d\)/,
    );
    expect(io.out()).toMatch(
      /ridge fit on 4, tested on 4: Kendall tau -?\d\.\d{3}, RMSE \d+\.\d\d points/,
    );
    expect(io.err()).toMatch(/samples \[#+\] 8\/8 top-1 \d+\.\d\d% at \d\.\d\d MFLOPs/);

    const saved = JSON.parse(await readFile(files.predictor, 'utf8'));
    const predictor = loadPredictor(saved, { space });
    expect(predictor.kind).toBe('ridge');
    expect(predictor.predict([minArch(space)])[0]).toEqual(expect.any(Number));
    const report = JSON.parse(await readFile(files.report, 'utf8'));
    expect(report).toMatchObject({ samples: 8, fit: 4, test: 4, heldOutExamples: 32 });

    // Interrupted after 5 samples: the build evaluates only the 3 it lacks.
    const lines = (await readFile(files.samples, 'utf8')).split('\n');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(files.samples, `${lines.slice(0, 5).join('\n')}\n{"key": "cut sh`);
    const again = captureIo();
    expect(await runCli([...args, '--predictor', 'rf', ...cheap], again)).toBe(0);
    expect(again.err()).toMatch(/samples: 5 of 8 already in /);
    expect(again.err()).toMatch(/noise: 4 of 4 already in /);
    expect(again.err()).toMatch(/samples \[#+\] 3\/3 /);
    const resumed = await readSampleRecords(files.samples);
    expect(resumed.map((record) => record.key)).toEqual(samples.map((record) => record.key));
    expect(resumed.map((record) => record.top1)).toEqual(samples.map((record) => record.top1));
    expect(loadPredictor(JSON.parse(await readFile(files.predictor, 'utf8')), { space }).kind).toBe(
      'random-forest',
    );

    // Other measurement settings do not mix with these samples.
    const mixed = captureIo();
    expect(
      await runCli(
        [...args, '--predictor', 'rf', ...cheap.slice(0, 1), '48', ...cheap.slice(2)],
        mixed,
      ),
    ).toBe(1);
    expect(mixed.err()).toMatch(
      /\nerror: .*predictor-samples\.jsonl holds archs measured on 32 held-out images after 1 calibration batches, this build measures on 48 after 1: give the same --holdout-limit and --calibration-batches, or move the file away to start over\n$/,
    );
  }, 600_000);

  it('refuses a run that kept no images out of training, and a run without a checkpoint, in one line each', async () => {
    const noHeldOut = await makeTestRun(root, 'no-held-out', { heldOut: 0 });
    const io = captureIo();
    expect(await runCli(['predictor', 'build', '--run', noHeldOut, '--samples', '8'], io)).toBe(1);
    expect(io.err()).toMatch(
      /\nerror: .*no-held-out kept no training images out of training \(data\.heldOut is 0, or the run predates it\): train a run with data\.heldOut > 0/,
    );
    expect(io.err().match(/^error:/gm)).toHaveLength(1);

    const noCheckpoint = await makeTestRun(root, 'no-checkpoint');
    await rm(join(noCheckpoint, 'checkpoint'), { recursive: true });
    const missing = captureIo();
    expect(
      await runCli(['predictor', 'build', '--run', noCheckpoint, '--samples', '8'], missing),
    ).toBe(1);
    expect(missing.err()).toMatch(/^error: Cannot open run .*no-checkpoint: .* has no checkpoint/);
    expect(missing.err().trim().split('\n')).toHaveLength(1);
  }, 300_000);
});

describe('noiseWarning', () => {
  it('says the spread is enough to rank the archs when it is at least twice the calibration noise', () => {
    expect(noiseWarning(0.54, { archs: 5, meanStd: 0.09 })).toBe(
      ', 6.0x the calibration noise: enough to rank them',
    );
  });

  it('warns when the spread is under twice the calibration noise, naming the noise', () => {
    expect(noiseWarning(0.9, { archs: 5, meanStd: 0.54 })).toMatch(
      /^, under twice the calibration noise \(0\.54 points\): most of the order between archs is noise/,
    );
  });

  it('says nothing when the noise was not measured', () => {
    expect(noiseWarning(1, { archs: 0, meanStd: 0 })).toBe('');
  });
});
