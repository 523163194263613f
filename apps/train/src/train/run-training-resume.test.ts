import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disposeCheckpoint, loadCheckpoint } from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.js';
import { runCli } from '../program.js';
import { RunFileError } from '../run/run-file-error.js';
import { canMountTmpfs, mountTmpfs } from '../test-utils/tmpfs.js';
import { withoutWallClock } from '../test-utils/without-wall-clock.js';
import { parseTrainConfig } from './config.js';
import { runTraining } from './run-training.js';
import { trainConfigOf } from './train-setup.js';

// 128 examples in batches of 32: 4 steps an epoch, so 6 steps cross an epoch boundary.
const config = parseTrainConfig({
  backend: 'wasm',
  data: { trainLimit: 128, testLimit: 32, batchSize: 32 },
  training: { steps: 6, checkpointEvery: 2 },
  sampler: { priorSamples: 500 },
  evaluation: { calibrationBatches: 1, calibrationBatchSize: 32, middleArchs: 0, batchSize: 32 },
});
const metricsOf = async (runDir: string) =>
  (await readFile(join(runDir, 'metrics.jsonl'), 'utf8')).trim().split('\n').map(withoutWallClock);
const resultsOf = async (runDir: string) =>
  JSON.parse(await readFile(join(runDir, 'results.json'), 'utf8'));
async function checkpointOf(runDir: string) {
  const checkpoint = await loadCheckpoint(fileSystemHandler(join(runDir, 'checkpoint')));
  const weights = new Map(
    [...checkpoint.weights].map(([name, tensor]) => [name, tensor.dataSync() as Float32Array]),
  );
  const { step, metadata } = checkpoint;
  disposeCheckpoint(checkpoint);
  return { step, metadata, weights };
}

describe('runTraining resumed', () => {
  const root = mkdtemp(join(tmpdir(), 'supernas-resume-'));
  let straightRun: Promise<string> | undefined;
  // The uninterrupted run the others compare with, trained once, when the first test needs it.
  const straight = () => {
    straightRun ??= root.then(async (dir) => {
      const runDir = join(dir, 'straight');
      await runTraining({ config, runDir, io: captureIo() });
      return runDir;
    });
    return straightRun;
  };

  it('after a crash, ends with the files of an uninterrupted run: no duplicate records, whole-epoch means, summed time', async () => {
    const runDir = join(await root, 'crashed');
    // A crash after step 3's record, mid-epoch, whose last checkpoint is step 2's: the epoch
    // record at step 4 must still average steps 1 to 4.
    await expect(
      runTraining({
        config,
        runDir,
        io: captureIo(),
        onStep: (record) => {
          if (record.step === 3) throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    const beforeResume = await checkpointOf(runDir);
    expect(beforeResume.step).toBe(2);
    const secondsAtCheckpoint = beforeResume.metadata.trainSeconds as number;
    expect(secondsAtCheckpoint).toBeGreaterThan(0);

    const resumed = await runTraining({ config, runDir, resume: true, io: captureIo() });
    expect(resumed.steps).toBe(6);
    const expected = await metricsOf(await straight());
    const actual = await metricsOf(runDir);
    expect(actual.map((record) => `${record.type} ${record.step}`)).toEqual([
      'step 1',
      'step 2',
      'step 3',
      'step 4',
      'epoch 4',
      'step 5',
      'step 6',
      'epoch 6',
    ]);
    expect(actual).toEqual(expected);
    expect(await resultsOf(runDir)).toMatchObject(
      withoutWallClock(await readFile(join(await straight(), 'results.json'), 'utf8')),
    );
    const trainSeconds = (await resultsOf(runDir)).trainSeconds as number;
    expect(trainSeconds).toBeGreaterThan(secondsAtCheckpoint);
    expect(trainSeconds).toBe(resumed.trainSeconds);
    const straightWeights = (await checkpointOf(await straight())).weights;
    const resumedWeights = (await checkpointOf(runDir)).weights;
    for (const [name, values] of straightWeights)
      expect(resumedWeights.get(name), name).toEqual(values);
  });

  it('resuming a finished run keeps its history and training time', async () => {
    const runDir = join(await root, 'finished');
    await cp(await straight(), runDir, { recursive: true });
    const before = await readFile(join(runDir, 'metrics.jsonl'), 'utf8');
    const { trainSeconds } = await resultsOf(runDir);
    const again = await runTraining({ config, runDir, resume: true, io: captureIo() });
    expect(again).toMatchObject({ steps: 6, interrupted: false, trainSeconds });
    expect(await readFile(join(runDir, 'metrics.jsonl'), 'utf8')).toBe(before);
    expect((await resultsOf(runDir)).trainSeconds).toBe(trainSeconds);
  });

  it('--steps extends a run on the schedule of a run started with that many steps', async () => {
    const runDir = join(await root, 'extended');
    await cp(await straight(), runDir, { recursive: true });
    const io = captureIo();
    const tooFew = await runCli(['train', '--resume', runDir, '--steps', '5'], io);
    expect(tooFew).toBe(1);
    expect(io.err()).toMatch(
      /^error: Cannot resume .* with 5 steps: its checkpoint is at step 6; give --steps 6 or more\n$/,
    );

    const extended = await runTraining({
      config,
      runDir,
      resume: true,
      overrides: { steps: 8 },
      io: captureIo(),
      skipEvaluation: true,
    });
    expect(extended.steps).toBe(8);
    const saved = JSON.parse(await readFile(join(runDir, 'config.json'), 'utf8'));
    expect(saved.training.steps).toBe(8);
    const records = await metricsOf(runDir);
    // The old run's closing record at step 6 (mid-epoch) gives way to the epoch's real end at 8.
    expect(records.map((record) => `${record.type} ${record.step}`)).toEqual([
      'step 1',
      'step 2',
      'step 3',
      'step 4',
      'epoch 4',
      'step 5',
      'step 6',
      'step 7',
      'step 8',
      'epoch 8',
    ]);
    const schedule = trainConfigOf({ ...config, training: { ...config.training, steps: 8 } }, 8, 4);
    const { warmupCosineLr } = await import('@supernas/trainer');
    const lr = warmupCosineLr(schedule);
    expect(records.find((record) => record.step === 7 && record.type === 'step').learningRate).toBe(
      lr(6),
    );
    expect((await checkpointOf(runDir)).step).toBe(8);
  });

  it('refuses to start a fresh run over a folder that holds a checkpoint', async () => {
    const io = captureIo();
    const runDir = await straight();
    expect(await runCli(['train', '--run-dir', runDir, '--steps', '1'], io)).toBe(1);
    expect(io.err()).toBe(
      `error: ${runDir} holds a run with a checkpoint: continue it with supernas train --resume ${runDir}, or choose another --run-dir\n`,
    );
  });
});

describe('runTraining on paths and runs it cannot use', () => {
  const root = mkdtemp(join(tmpdir(), 'supernas-bad-'));

  it('fails fast, in one line, for a run folder under /proc, under a file or a file', async () => {
    const file = join(await root, 'file');
    await writeFile(file, 'x');
    for (const [dir, reason] of [
      ['/proc/x', 'it is under /proc, a kernel file system, not storage'],
      [file, 'it is a file, expected a folder'],
      [join(file, 'run'), `${file} is a file, expected a folder`],
    ] as const) {
      const io = captureIo();
      const started = performance.now();
      expect(await runCli(['train', '--run-dir', dir, '--steps', '3'], io)).toBe(1);
      expect(io.err()).toBe(`error: run folder ${dir} cannot be used: ${reason}\n`);
      expect(performance.now() - started).toBeLessThan(5000);
    }
  });

  it('resume, eval and calibrate say a run has no checkpoint yet, in one line', async () => {
    const runDir = join(await root, 'no-checkpoint');
    // A run that died before its first checkpoint: config and a metrics line only.
    await mkdir(runDir);
    await writeFile(join(runDir, 'config.json'), JSON.stringify(config));
    await writeFile(join(runDir, 'metrics.jsonl'), '{"type":"step","step":1,"epoch":0}\n');
    const message = `${runDir} has no checkpoint (${join(runDir, 'checkpoint', 'model.json')} does not exist): the run stopped before its first checkpoint; start it again\n`;
    for (const [argv, action] of [
      [['train', '--resume', runDir], 'Cannot resume'],
      [['eval', '--run', runDir, '--preset', 'min'], `Cannot open run ${runDir}`],
      [['calibrate', '--run', runDir, '--preset', 'min'], `Cannot open run ${runDir}`],
    ] as const) {
      const io = captureIo();
      expect(await runCli([...argv], io)).toBe(1);
      expect(io.err()).toBe(`error: ${action}: ${message}`);
    }
    // Starting it again in the same folder is allowed: there is nothing to overwrite.
    const io = captureIo();
    await runTraining({
      config: { ...config, training: { ...config.training, steps: 1 } },
      runDir,
      io,
      skipEvaluation: true,
    });
    expect((await metricsOf(runDir)).map((record) => `${record.type} ${record.step}`)).toEqual([
      'step 1',
      'epoch 1',
    ]);
  });

  it('stops a run whose learning rate diverges at the first non-finite loss, ranking included, keeping a finite checkpoint', async () => {
    const dir = await root;
    const configPath = join(dir, 'diverge.json');
    await writeFile(
      configPath,
      JSON.stringify({
        ...config,
        training: {
          ...config.training,
          steps: 6,
          checkpointEvery: 1,
          baseLr: 1e6,
          warmupFraction: 0,
        },
      }),
    );
    const runDir = join(dir, 'diverge');
    const io = captureIo();
    expect(await runCli(['train', '--config', configPath, '--run-dir', runDir], io)).toBe(1);
    const match = /^error: Non-finite (loss \S+|weight \S+ \(\S+\)) (at|after) step (\d+)/.exec(
      io.err(),
    );
    expect(match, io.err()).not.toBeNull();
    expect(io.err().trim().split('\n')).toHaveLength(1);
    const records = await metricsOf(runDir);
    const lastStep = records.filter((record) => record.type === 'step').length;
    // A loss fails its own step (the next after the last record); weights fail the step that made them.
    expect(Number(match![3])).toBe(match![2] === 'at' ? lastStep + 1 : lastStep);
    const { step, weights } = await checkpointOf(runDir).catch(() => ({
      step: 0,
      weights: new Map(),
    }));
    expect(step).toBeLessThanOrEqual(lastStep);
    for (const [name, values] of weights)
      expect([...values].every(Number.isFinite), name).toBe(true);
  });

  it('import-torch --out under /proc fails before PyTorch runs', async () => {
    const io = captureIo();
    expect(
      await runCli(['import-torch', '/nowhere.pth', '--space', 'tiny', '--out', '/proc/x'], io),
    ).toBe(1);
    expect(io.err()).toBe(
      'error: --out /proc/x cannot be used: it is under /proc, a kernel file system, not storage\n',
    );
  });

  it('calibrate --out under /proc fails before loading anything', async () => {
    const io = captureIo();
    expect(
      await runCli(['calibrate', '--run', '/nowhere', '--preset', 'min', '--out', '/proc/x'], io),
    ).toBe(1);
    expect(io.err()).toBe(
      'error: --out /proc/x cannot be used: it is under /proc, a kernel file system, not storage\n',
    );
  });

  it('rejects an image folder with one class before training', async () => {
    const { default: sharp } = await import('sharp');
    const dir = join(await root, 'one-class');
    for (const split of ['train', 'test']) {
      await mkdir(join(dir, split, 'only'), { recursive: true });
      for (let i = 0; i < 4; i++) {
        const png = await sharp({
          create: { width: 8, height: 8, channels: 3, background: { r: i * 40, g: 0, b: 0 } },
        })
          .png()
          .toBuffer();
        await writeFile(join(dir, split, 'only', `${i}.png`), png);
      }
    }
    const error = await runTraining({
      config: parseTrainConfig({
        ...config,
        data: { dataset: 'image-folder', path: dir, batchSize: 2, heldOut: 0 },
      }),
      runDir: join(await root, 'one-class-run'),
      io: captureIo(),
    }).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(
      /image folder .* has 1 class, expected at least 2 to train a classifier$/,
    );
  });

  describe.skipIf(!canMountTmpfs())('on a full disk', () => {
    it('stops with one line naming ENOSPC, keeping the last checkpoint intact and no temp files', async () => {
      // One checkpoint (weights and momentum of the tiny space at 10 classes, 2.3 MB) fits;
      // the next one, written beside it before the old one goes, does not.
      const mount = mountTmpfs({ sizeKb: 3 * 1024 })!;
      try {
        const runDir = join(mount.path, 'run');
        const error = await runTraining({
          config: parseTrainConfig({ ...config, training: { steps: 4, checkpointEvery: 1 } }),
          runDir,
          io: captureIo(),
          skipEvaluation: true,
        }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(RunFileError);
        expect((error as Error).message).toBe(
          `cannot write the checkpoint in ${join(runDir, 'checkpoint')}: no space left on the device (ENOSPC)`,
        );
        const { step } = await checkpointOf(runDir);
        expect(step).toBe(1);
        const files = await readdir(join(runDir, 'checkpoint'));
        expect(files.filter((file) => file.startsWith('.'))).toEqual([]);
        expect(files.filter((file) => file.endsWith('.bin'))).toHaveLength(1);
      } finally {
        mount.unmount();
      }
    });
  });
});
