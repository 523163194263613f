import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeBackendUnavailableError } from '@supernas/backend-native';
import { createSupernet, saveSupernet } from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
import { SupernasError } from '@supernas/errors';
import { countFlops, FlopsOptionError } from '@supernas/flops';
import { minArch, tinySpace } from '@supernas/search-space';
import { Sgd } from '@supernas/trainer';
import { UnsupportedConvolutionError } from '@supernas/wasm-backprop';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from './cli-io.js';
import { runCli } from './program.js';
import { parseTrainConfig } from './train/config.js';

// Each package's bad input must reach the user as exactly one `error: ...` line, exit code 1.
async function run(args: string[]) {
  const io = captureIo();
  const code = await runCli(args, io);
  const errorLines = io
    .err()
    .split('\n')
    .filter((line) => line.startsWith('error: '));
  return { code, err: io.err(), errorLines };
}

function expectOneLine(result: Awaited<ReturnType<typeof run>>, message: string | RegExp): void {
  expect(result.code).toBe(1);
  expect(result.errorLines).toHaveLength(1);
  const [line] = result.errorLines as [string];
  if (typeof message === 'string') expect(line).toBe(`error: ${message}`);
  else expect(line).toMatch(message);
  // No stack: nothing after the error line, and no `at file:line` frames anywhere.
  expect(result.err.endsWith(`${line}\n`)).toBe(true);
  expect(result.err).not.toMatch(/^\s+at /m);
}

// A run small enough to open in a test: cpu backend, a few examples, the uniform sampler.
const runConfig = {
  backend: 'cpu',
  data: { trainLimit: 64, testLimit: 32, batchSize: 32 },
  training: { steps: 2 },
  sampler: { kind: 'uniform' },
  evaluation: { calibrationBatches: 1, calibrationBatchSize: 32, middleArchs: 0, batchSize: 32 },
};

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'supernas-bad-input-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeFiles(dir: string, files: Record<string, string>): Promise<string> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

describe('bad input reaches the user as one line', () => {
  it('search-space: an arch file that does not fit the space', async () => {
    const dir = await writeFiles(join(root, 'arch'), {
      'bad.json': JSON.stringify({ ...minArch(tinySpace), kernelSize: [3, 4, 3, 3] }),
    });
    const result = await run(['flops', '--space', 'tiny', '--arch', join(dir, 'bad.json')]);
    expectOneLine(
      result,
      /^error: Invalid arch: kernelSize of stage 1 \(\w+\) is 4, expected one of /,
    );
  });

  it('losses: a config whose alpha-divergence options the loss rejects', async () => {
    const dir = await writeFiles(join(root, 'losses'), {
      'config.yaml': 'distillation:\n  kind: alpha\n  alphaMin: 2\n  alphaMax: 1\n',
    });
    const result = await run(['train', '--config', join(dir, 'config.yaml')]);
    expectOneLine(
      result,
      'Error in adaptiveAlphaDivergence: alphaMin must be <= alphaMax (1), but got 2.',
    );
    const clip = await run(['train', '--config', await writeClip(dir)]);
    expectOneLine(
      clip,
      'Error in adaptiveAlphaDivergence: clip must be a finite number > 1, but got 1.',
    );
  });

  it('trainer: a config value out of the trainer range', async () => {
    const dir = await writeFiles(join(root, 'trainer'), {
      'config.json': JSON.stringify({ training: { momentum: 1 } }),
    });
    const result = await run(['train', '--config', join(dir, 'config.json')]);
    expectOneLine(result, 'Invalid trainer config: momentum is 1, expected a number in [0, 1)');
  });

  it('train config: a key the schema does not know', async () => {
    const dir = await writeFiles(join(root, 'config'), {
      'config.json': JSON.stringify({ training: { epochz: 2 }, seed: 'one' }),
    });
    const result = await run(['train', '--config', join(dir, 'config.json')]);
    expectOneLine(result, /^error: Invalid config .*config\.json: .*seed: .*; .*training\.epochz/);
  });

  it('data: an image folder that does not exist', async () => {
    const missing = join(root, 'no-such-images');
    const dir = await writeFiles(join(root, 'data'), {
      'config.json': JSON.stringify({
        ...runConfig,
        data: { dataset: 'image-folder', path: missing },
      }),
    });
    const result = await run([
      'train',
      '--config',
      join(dir, 'config.json'),
      '--run-dir',
      join(dir, 'run'),
    ]);
    expectOneLine(result, `image folder not found: ${missing}`);
  });

  it('elastic: eval on a run with no checkpoint, or a checkpoint that is not one', async () => {
    const missing = await writeFiles(join(root, 'elastic-missing'), {
      'config.json': JSON.stringify(parseTrainConfig(runConfig)),
    });
    const model = join(missing, 'checkpoint', 'model.json');
    expectOneLine(
      await run(['eval', '--run', missing, '--preset', 'min']),
      `Cannot open run ${missing}: ${missing} has no checkpoint (${model} does not exist): the run stopped before its first checkpoint; start it again`,
    );
    const corrupt = await writeFiles(join(root, 'elastic-corrupt'), {
      'config.json': JSON.stringify(parseTrainConfig(runConfig)),
      'checkpoint/model.json': JSON.stringify({ modelTopology: { format: 'keras' } }),
    });
    expectOneLine(
      await run(['calibrate', '--run', corrupt, '--preset', 'max']),
      /^error: loadCheckpoint: .* has format 'keras', expected '[\w-]+' \(a model\.json written by saveSupernet\)$/,
    );
  });

  it('samplers: resuming a run whose checkpoint holds another sampler state', async () => {
    const dir = await writeFiles(join(root, 'samplers'), {
      'config.json': JSON.stringify(parseTrainConfig(runConfig)),
    });
    await tf.setBackend('cpu');
    // Fashion-MNIST: 10 classes, 1 channel, as the resumed run builds its supernet.
    const supernet = createSupernet(tinySpace, { numClasses: 10, inputChannels: 1, seed: 0 });
    try {
      await saveSupernet(supernet, fileSystemHandler(join(dir, 'checkpoint')), {
        optimizer: new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-5 }),
        step: 1,
        metadata: { samplerState: { sampler: 'attentive' }, dataState: {}, totalSteps: 2 },
      });
    } finally {
      supernet.dispose();
    }
    const result = await run(['train', '--resume', dir]);
    expectOneLine(
      result,
      "sandwich: state.sampler must be 'sandwich' (a state saved by the same kind of sampler), got 'attentive'",
    );
  });

  it('backend: a backend supernas does not know', async () => {
    const result = await run(['eval', '--run', root, '--preset', 'min', '--backend', 'tpu']);
    expectOneLine(
      result,
      "Backend 'tpu' is not available: 'tpu' is not a backend supernas knows. Use one of auto, tensorflow, webgpu, native, wasm, cpu.",
    );
  });

  it('train app: a run folder whose config.json is not JSON', async () => {
    const dir = await writeFiles(join(root, 'broken-run'), { 'config.json': '{"space": "tiny",' });
    expectOneLine(
      await run(['eval', '--run', dir, '--preset', 'min']),
      new RegExp(
        `^error: Cannot open run ${dir}: ${join(dir, 'config.json')} is not valid JSON \\(`,
      ),
    );
  });

  it('train app: an arch file that is missing', async () => {
    const missing = join(root, 'nope.yaml');
    expectOneLine(
      await run(['flops', '--space', 'tiny', '--arch', missing]),
      `Cannot read arch file ${missing}: no such file`,
    );
  });

  it('prints the stack, the code and the causes with --verbose, before or after the command', async () => {
    const broken = await writeFiles(join(root, 'verbose-broken-config'), {
      'config.json': '{"space": ',
    });
    for (const args of [
      ['--verbose', 'eval', '--run', broken, '--preset', 'min'],
      ['eval', '--run', broken, '--preset', 'min', '--verbose'],
    ]) {
      const result = await run(args);
      expect(result.code).toBe(1);
      expect(result.err).toContain(
        `error: CliUsageError: Cannot open run ${broken}: ${join(broken, 'config.json')} is not valid JSON`,
      );
      expect(result.err).toMatch(/^\s+at /m);
      expect(result.err).toContain('\ncode: cli_usage\n');
      expect(result.err).toMatch(/\ncaused by: SyntaxError: /);
    }
  });
});

async function writeClip(dir: string): Promise<string> {
  const path = join(dir, 'clip.json');
  await writeFile(path, JSON.stringify({ distillation: { kind: 'alpha', clip: 1 } }));
  return path;
}

// These packages' errors have no CLI path: their inputs are checked before they get there
// (commander and the config schema check counts, the elastic layers never ask for dilation, the
// native backend's own error is wrapped in the app's BackendUnavailableError).
describe('errors no command reaches', () => {
  it('flops: a class count that is not a positive integer', () => {
    let error: unknown;
    try {
      countFlops(tinySpace, minArch(tinySpace), { numClasses: 0 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FlopsOptionError);
    expect(SupernasError.hasCode(error, 'flops_option')).toBe(true);
    expect((error as Error).message).toBe(
      'countFlops: numClasses must be a positive integer, got 0',
    );
  });

  it('wasm-backprop and backend-native: supernas errors with stable codes', () => {
    const dilation = new UnsupportedConvolutionError(
      'Conv2DBackpropInput',
      'dilations',
      [2, 2],
      '1',
    );
    expect(SupernasError.hasCode(dilation, 'unsupported_convolution')).toBe(true);
    expect(dilation.message).toBe('Conv2DBackpropInput: dilations must be 1, got [2,2]');
    const native = new NativeBackendUnavailableError('the addon did not build');
    expect(SupernasError.hasCode(native, 'native_backend_unavailable')).toBe(true);
    expect(native.message).toBe('The native backend is unavailable: the addon did not build');
  });
});
