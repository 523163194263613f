import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@supernas/search-space';
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutWallClock } from '../src/test-utils/without-wall-clock.js';

// Kills real `supernas train` processes (the built dist/cli.js) at seeded random steps, resumes
// them, and checks that they end with the files of an uninterrupted run. Needs `pnpm build`.
const builtCli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const totalSteps = 24;
const config = {
  space: 'tiny',
  seed: 3,
  data: { trainLimit: 256, testLimit: 100, batchSize: 16 },
  training: { steps: totalSteps, checkpointEvery: 3 },
  sampler: { priorSamples: 500 },
  evaluation: { calibrationBatches: 1, calibrationBatchSize: 32, middleArchs: 1, batchSize: 50 },
};
// The native backend where it is built (CI has it), else cpu; the runs compare with each other.
const backend = existsSync(
  fileURLToPath(new URL('../../../packages/backend-native/build/Release', import.meta.url)),
)
  ? 'native'
  : 'cpu';

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

function startCli(args: readonly string[]): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, [builtCli, ...args, '--backend', backend], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // A fixed thread count: a reduction's rounding depends on how many threads share it, and
    // the runs compared here must match bit for bit however loaded the machine is.
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', SUPERNAS_ADAPTIVE_THREADS: '0' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exit = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exit };
}

const stepsRecorded = (runDir: string): number => {
  try {
    return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').split('"type":"step"').length - 1;
  } catch {
    return 0;
  }
};

/** Starts a run (or resumes it), sends `signal` once `atStep` steps are recorded, and waits. */
async function runUntil(
  args: readonly string[],
  runDir: string,
  atStep: number,
  signal: NodeJS.Signals,
): Promise<Exit> {
  const { child, exit } = startCli(args);
  let done = false;
  void exit.then(() => {
    done = true;
  });
  while (!done && stepsRecorded(runDir) < atStep)
    await new Promise((resolve) => setTimeout(resolve, 20));
  if (!done) child.kill(signal);
  return exit;
}

async function runFiles(runDir: string) {
  const checkpoint = join(runDir, 'checkpoint');
  const model = JSON.parse(await readFile(join(checkpoint, 'model.json'), 'utf8'));
  const weightsFiles = (await readdir(checkpoint)).filter((file) => file.endsWith('.bin'));
  const results = await readFile(join(runDir, 'results.json'), 'utf8');
  return {
    step: model.modelTopology.step as number,
    weightsFiles,
    weights: await readFile(join(checkpoint, weightsFiles[0]!)),
    metrics: (await readFile(join(runDir, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map(withoutWallClock),
    results: withoutWallClock(results),
    trainSeconds: JSON.parse(results).trainSeconds as number,
    leftovers: (await readdir(checkpoint)).filter((file) => file.startsWith('.')),
  };
}

const checkpointStep = (runDir: string): number =>
  JSON.parse(readFileSync(join(runDir, 'checkpoint', 'model.json'), 'utf8')).modelTopology.step;

describe.skipIf(!existsSync(builtCli))('supernas train under faults', () => {
  let root: string;
  let configPath: string;
  let expected: Awaited<ReturnType<typeof runFiles>>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'supernas-faults-'));
    configPath = join(root, 'config.json');
    await writeFile(configPath, JSON.stringify(config));
    const straight = join(root, 'straight');
    const { exit } = startCli(['train', '--config', configPath, '--run-dir', straight]);
    expect((await exit).code).toBe(0);
    expected = await runFiles(straight);
  }, 120_000);

  const expectSameAsUninterrupted = async (runDir: string) => {
    const actual = await runFiles(runDir);
    expect(actual.step).toBe(totalSteps);
    expect(actual.weightsFiles).toEqual(expected.weightsFiles);
    expect(actual.weights.equals(expected.weights)).toBe(true);
    expect(actual.metrics).toEqual(expected.metrics);
    expect(actual.results).toEqual(expected.results);
    expect(actual.trainSeconds).toBeGreaterThan(0);
    expect(actual.leftovers).toEqual([]);
  };

  it('kill -9 at seeded random steps, resumed each time, reaches the uninterrupted run', async () => {
    const runDir = join(root, 'killed');
    const rng = createRng(2026);
    let args = ['train', '--config', configPath, '--run-dir', runDir];
    let killedAt = 0;
    for (let kill = 0; kill < 3; kill++) {
      killedAt = Math.min(totalSteps - 1, killedAt + 2 + rng.int(7));
      const exit = await runUntil(args, runDir, killedAt, 'SIGKILL');
      expect(exit.signal, exit.stderr).toBe('SIGKILL');
      args = ['train', '--resume', runDir];
    }
    const { exit } = startCli(args);
    expect((await exit).code, (await exit).stderr).toBe(0);
    await expectSameAsUninterrupted(runDir);
  }, 120_000);

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} stops after the current step with a checkpoint and exit ${code}; the resumed run reaches the uninterrupted one`, async () => {
      const runDir = join(root, signal);
      const rng = createRng(code);
      let args = ['train', '--config', configPath, '--run-dir', runDir];
      let stoppedAt = 0;
      for (let stop = 0; stop < 2; stop++) {
        const sentAt = Math.min(totalSteps - 3, stoppedAt + 2 + rng.int(7));
        const exit = await runUntil(args, runDir, sentAt, signal);
        expect(exit.code, exit.stderr).toBe(code);
        expect(exit.stderr).toContain(
          `${signal}: stopping after this step and writing a checkpoint`,
        );
        // Stopped after the step that was running, not at the next multiple of checkpointEvery,
        // and checkpointed exactly there.
        stoppedAt = stepsRecorded(runDir);
        expect(stoppedAt).toBeGreaterThanOrEqual(sentAt);
        expect(stoppedAt).toBeLessThanOrEqual(sentAt + 1);
        expect(checkpointStep(runDir)).toBe(stoppedAt);
        args = ['train', '--resume', runDir];
      }
      const { exit } = startCli(args);
      expect((await exit).code, (await exit).stderr).toBe(0);
      await expectSameAsUninterrupted(runDir);
    }, 120_000);
  }

  it('a second Ctrl-C quits at once, mid-step, leaving the last checkpoint intact and resumable', async () => {
    // Batches of 256 make a step last long enough to press Ctrl-C twice inside one.
    const slowConfig = join(root, 'slow.json');
    await writeFile(
      slowConfig,
      JSON.stringify({
        ...config,
        data: { ...config.data, trainLimit: 1024, batchSize: 256 },
        training: { steps: 8, checkpointEvery: 1 },
      }),
    );
    const runDir = join(root, 'twice');
    const { child, exit } = startCli(['train', '--config', slowConfig, '--run-dir', runDir]);
    while (stepsRecorded(runDir) < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    let stderr = '';
    const noticed = new Promise<void>((resolve) =>
      child.stderr?.on('data', (chunk) => {
        stderr += String(chunk);
        if (stderr.includes('SIGINT: stopping after this step')) resolve();
      }),
    );
    child.kill('SIGINT');
    // The first Ctrl-C is handled between two subnets of the step; the second ends the process.
    await noticed;
    child.kill('SIGINT');
    const ended = await exit;
    expect(ended.signal, ended.stderr).toBe('SIGINT');
    // The checkpoint of step 1 or 2 (the second may have been mid-save): either is whole.
    expect(checkpointStep(runDir)).toBeGreaterThanOrEqual(1);
    const resumed = startCli(['train', '--resume', runDir]);
    const result = await resumed.exit;
    expect(result.code, result.stderr).toBe(0);
    expect(checkpointStep(runDir)).toBe(8);
  }, 120_000);
});
