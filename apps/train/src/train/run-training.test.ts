import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disposeCheckpoint, loadCheckpoint } from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
import { getSearchSpace } from '@supernas/search-space';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.js';
import { runCli } from '../program.js';
import { parseTrainConfig } from './config.js';
import { runTraining } from './run-training.js';
import { trainConfigOf, trainingBatchResolution } from './train-setup.js';

// wasm: always installed, and fast enough to train the tiny space for a few steps in a test.
const config = parseTrainConfig({
  backend: 'wasm',
  data: { trainLimit: 256, testLimit: 64, batchSize: 32 },
  training: { steps: 4, checkpointEvery: 2 },
  // 8 batches an epoch: 2 steps on the labels, 2 distilling (the resume test crosses the switch).
  distillation: { kind: 'alpha', labelWarmupEpochs: 0.25 },
  evaluation: { calibrationBatches: 1, calibrationBatchSize: 32, middleArchs: 1, batchSize: 64 },
});

async function checkpointWeights(runDir: string): Promise<Map<string, Float32Array>> {
  const checkpoint = await loadCheckpoint(fileSystemHandler(join(runDir, 'checkpoint')));
  const weights = new Map(
    [...checkpoint.weights].map(([name, tensor]) => [name, tensor.dataSync() as Float32Array]),
  );
  disposeCheckpoint(checkpoint);
  return weights;
}

describe('trainConfigOf', () => {
  it('turns the label warm-up from epochs into steps and keeps it out of the loss config', () => {
    const trainConfig = trainConfigOf(parseTrainConfig({}), 1406, 937);
    expect(trainConfig.labelWarmupSteps).toBe(Math.round(0.75 * 937));
    expect(trainConfig.distillation).toEqual({ kind: 'alpha', alphaMin: -1, alphaMax: 1, clip: 5 });
    const none = trainConfigOf(parseTrainConfig({ distillation: { kind: 'none' } }), 10, 5);
    expect(none.labelWarmupSteps).toBe(0);
  });
});

describe('trainingBatchResolution', () => {
  const space = getSearchSpace('tiny'); // resolutions 24 and 28
  it('keeps small square images at their own size so each subnet resamples them once', () => {
    expect(trainingBatchResolution({ height: 28, width: 28 }, space)).toBe(28);
    expect(trainingBatchResolution({ height: 24, width: 24 }, space)).toBe(24);
  });
  it('crops larger, non-square or mixed-size images to the largest resolution', () => {
    expect(trainingBatchResolution({ height: 32, width: 32 }, space)).toBe(28);
    expect(trainingBatchResolution({ height: 20, width: 16 }, space)).toBe(28);
    expect(trainingBatchResolution({ height: undefined, width: undefined }, space)).toBe(28);
  });
});

describe('runTraining', () => {
  const root = mkdtemp(join(tmpdir(), 'supernas-run-'));

  it('trains, checkpoints, evaluates and writes every run file', async () => {
    const runDir = join(await root, 'full');
    const io = captureIo();
    const result = await runTraining({ config, runDir, io });
    expect(result.backend.name).toBe('wasm');
    expect(result.steps).toBe(4);
    expect(result.results.map((row) => row.label)).toEqual(['min', 'mid-1', 'max']);
    for (const row of result.results) {
      expect(row.examples).toBe(64);
      expect(row.top1).toBeGreaterThanOrEqual(0);
      expect(row.top1).toBeLessThanOrEqual(1);
    }
    expect(io.out()).toMatch(/subnet\s+MFLOPs\s+params\s+top-1\s+arch/);
    for (const file of [
      'config.json',
      'metrics.jsonl',
      'checkpoint/model.json',
      'results.json',
      'chart.svg',
      'chart.png',
      'chart-training.svg',
      'chart-training.png',
    ]) {
      expect(existsSync(join(runDir, file)), file).toBe(true);
    }
    const records = (await readFile(join(runDir, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records.filter((record) => record.type === 'step').map((record) => record.step)).toEqual(
      [1, 2, 3, 4],
    );
    expect(records[0].losses.map((entry: { role: string }) => entry.role)).toEqual([
      'max',
      'middle',
      'middle',
      'min',
    ]);
    expect(records[0].losses.every((entry: { mflops: number }) => entry.mflops > 0)).toBe(true);
    expect(JSON.parse(await readFile(join(runDir, 'results.json'), 'utf8')).subnets).toHaveLength(
      3,
    );
  });

  it('resumes an interrupted run to the same weights as an uninterrupted one', async () => {
    const straightDir = join(await root, 'straight');
    await runTraining({ config, runDir: straightDir, io: captureIo(), skipEvaluation: true });

    const resumedDir = join(await root, 'resumed');
    const abort = new AbortController();
    const io = captureIo();
    // Interrupt as Ctrl-C would, after step 2 (whose checkpoint is then written).
    const interrupted = await runTraining({
      config,
      runDir: resumedDir,
      io,
      signal: abort.signal,
      skipEvaluation: true,
      onStep: (record) => {
        if (record.step === 2) abort.abort();
      },
    });
    expect(interrupted).toMatchObject({ interrupted: true, steps: 2 });
    expect(io.out()).toContain(`Resume with: supernas train --resume ${resumedDir}`);
    const resumed = await runTraining({
      config: parseTrainConfig({}),
      runDir: resumedDir,
      resume: true,
      io: captureIo(),
      skipEvaluation: true,
    });
    expect(resumed).toMatchObject({ steps: 4, interrupted: false });

    const expected = await checkpointWeights(straightDir);
    const actual = await checkpointWeights(resumedDir);
    expect([...actual.keys()]).toEqual([...expected.keys()]);
    for (const [name, values] of expected) expect(actual.get(name), name).toEqual(values);
  });

  it('eval and calibrate work on a saved run; the exported subnet loads as a plain graph model', async () => {
    const runDir = join(await root, 'full');
    const io = captureIo();
    expect(await runCli(['eval', '--run', runDir, '--preset', 'max', '--json'], io)).toBe(0);
    const row = JSON.parse(io.out().trim().split('\n').at(-1)!);
    expect(row).toMatchObject({ label: 'max', examples: 64 });

    const out = join(await root, 'exported');
    const calibrateIo = captureIo();
    expect(
      await runCli(['calibrate', '--run', runDir, '--preset', 'min', '--out', out], calibrateIo),
    ).toBe(0);
    expect(calibrateIo.out()).toMatch(/exported 0\.\d+ MFLOPs subnet/);
    const model = await loadGraphModel(fileSystemHandler(out));
    const logits = tf.tidy(() => model.predict(tf.zeros([2, 24, 24, 1])) as tf.Tensor);
    expect(logits.shape).toEqual([2, 10]);
    logits.dispose();
    model.dispose();
  });

  it('fails with a clear message when asked to resume a folder that is not a run', async () => {
    const io = captureIo();
    expect(await runCli(['train', '--resume', join(await root, 'nothing-here')], io)).toBe(1);
    expect(io.err()).toMatch(/Cannot resume: .*config\.json does not exist/);
  });
});
