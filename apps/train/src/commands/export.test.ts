import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSupernet, saveSupernet } from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
import { countFlops } from '@supernas/flops';
import { createRng, getSearchSpace, sampleArch } from '@supernas/search-space';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.js';
import { runCli } from '../program.js';

const space = getSearchSpace('tiny');
// A random middle subnet at 24 px: Fashion-MNIST's 28 px images are resampled once.
const arch = { ...sampleArch(space, createRng(5)), resolution: 24 };

/**
 * A run folder as `supernas train` leaves it, without the training: the config and a
 * checkpoint of a freshly initialised tiny supernet (Fashion-MNIST: 1 channel, 10 classes).
 */
async function makeRun(root: string): Promise<string> {
  const runDir = join(root, 'run');
  await mkdir(runDir, { recursive: true });
  const config = {
    space: 'tiny',
    backend: 'cpu',
    data: { dataset: 'fashion-mnist', trainLimit: 64, testLimit: 32, batchSize: 16 },
    evaluation: { calibrationBatches: 2, calibrationBatchSize: 16, middleArchs: 1, batchSize: 32 },
  };
  await writeFile(join(runDir, 'config.json'), JSON.stringify(config));
  const supernet = createSupernet(space, { numClasses: 10, inputChannels: 1, seed: 2 });
  await saveSupernet(supernet, fileSystemHandler(join(runDir, 'checkpoint')), { step: 3 });
  supernet.dispose();
  return runDir;
}

describe('supernas export', () => {
  let root: string;
  let runDir: string;
  let archFile: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'supernas-export-'));
    runDir = await makeRun(root);
    archFile = join(root, 'arch.json');
    await writeFile(archFile, JSON.stringify(arch));
  });

  it('writes a tfjs graph model and an ONNX model that agree within 1e-4, with arch.json and metadata.json', async () => {
    const out = join(root, 'both');
    const io = captureIo();
    const code = await runCli(
      ['export', '--run', runDir, '--arch', archFile, '--out', out, '--eval'],
      io,
    );
    expect(io.err()).not.toMatch(/error/);
    expect(code).toBe(0);
    expect(io.out()).toMatch(/exported .* MFLOPs, \d+ params, test top-1 \d+\.\d+%\) to /);

    const { flops, params } = countFlops(space, arch, { numClasses: 10, inputChannels: 1 });
    const metadata = JSON.parse(await readFile(join(out, 'metadata.json'), 'utf8'));
    expect(metadata).toMatchObject({
      format: 'supernas-export',
      formatVersion: 1,
      space: 'tiny',
      arch,
      mflops: flops / 1e6,
      params,
      numClasses: 10,
      inputShape: [-1, 24, 24, 1],
      inputLayout: 'NHWC',
      dataset: 'fashion-mnist',
      testExamples: 32,
      step: 3,
      files: ['model.json', 'model.onnx'],
    });
    expect(metadata.top1).toBeGreaterThanOrEqual(0);
    expect(metadata.top1).toBeLessThanOrEqual(1);
    expect(metadata.normalization.mean).toHaveLength(1);
    expect(metadata.classNames).toHaveLength(10);
    const archRecord = JSON.parse(await readFile(join(out, 'arch.json'), 'utf8'));
    expect(archRecord).toMatchObject({ format: 'supernas-export', space: 'tiny', ...arch });

    const images = tf.randomNormal([3, 24, 24, 1], 0, 1, 'float32', 11);
    const model = await loadGraphModel(fileSystemHandler(out));
    const tfjsLogits = model.predict(images) as tf.Tensor;
    const session = await InferenceSession.create(join(out, 'model.onnx'));
    const feed = new Tensor('float32', (await images.data()) as Float32Array, [3, 24, 24, 1]);
    const { logits } = await session.run({ input: feed });
    await session.release();
    const onnxLogits = tf.tensor(logits?.data as Float32Array, logits?.dims as number[]);
    expect(onnxLogits.shape).toEqual([3, 10]);
    const difference = tf.tidy(
      () => tf.max(tf.abs(tf.sub(onnxLogits, tfjsLogits))).dataSync()[0] as number,
    );
    console.info(`supernas export: max |onnx - tfjs graph model| ${difference.toExponential(2)}`);
    expect(difference).toBeLessThan(1e-4);
    tf.dispose([images, tfjsLogits, onnxLogits]);
    model.dispose();
  });

  it('writes only the ONNX model with --format onnx', async () => {
    const out = join(root, 'onnx-only');
    const io = captureIo();
    expect(
      await runCli(
        ['export', '--run', runDir, '--preset', 'min', '--out', out, '--format', 'onnx'],
        io,
      ),
    ).toBe(0);
    expect(existsSync(join(out, 'model.onnx'))).toBe(true);
    expect(existsSync(join(out, 'model.json'))).toBe(false);
    const metadata = JSON.parse(await readFile(join(out, 'metadata.json'), 'utf8'));
    expect(metadata.files).toEqual(['model.onnx']);
    expect(metadata.top1).toBeUndefined();
  });

  it('rejects an arch outside the run space in one line', async () => {
    const outside = join(root, 'outside.json');
    await writeFile(outside, JSON.stringify({ ...arch, resolution: 224 }));
    const io = captureIo();
    const code = await runCli(
      ['export', '--run', runDir, '--arch', outside, '--out', join(root, 'bad')],
      io,
    );
    expect(code).toBe(1);
    const lines = io.err().trim().split('\n');
    expect(lines.at(-1)).toMatch(/^error: .*resolution.*224/);
    expect(io.err()).not.toMatch(/\n\s+at /);
    expect(existsSync(join(root, 'bad'))).toBe(false);
  });

  it('says in one line that a run folder has no checkpoint', async () => {
    const empty = join(root, 'untrained');
    await mkdir(empty, { recursive: true });
    await writeFile(join(empty, 'config.json'), JSON.stringify({ space: 'tiny', backend: 'cpu' }));
    const io = captureIo();
    const code = await runCli(
      ['export', '--run', empty, '--preset', 'max', '--out', join(root, 'none')],
      io,
    );
    expect(code).toBe(1);
    expect(io.err().trim()).toBe(
      `error: Cannot open run ${empty}: ${empty} has no checkpoint (${join(empty, 'checkpoint', 'model.json')} does not exist): the run stopped before its first checkpoint; start it again`,
    );
  });

  it('rejects an unknown --format before loading anything', async () => {
    const io = captureIo();
    const code = await runCli(
      [
        'export',
        '--run',
        runDir,
        '--preset',
        'max',
        '--out',
        join(root, 'x'),
        '--format',
        'tflite',
      ],
      io,
    );
    expect(code).not.toBe(0);
    expect(io.err()).toMatch(/argument 'tflite' is invalid\. Allowed choices are tfjs, onnx, both/);
  });
});
