import type { Supernet } from '@supernas/elastic';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify } from './classify.js';
import { loadRun } from './load-run.js';
import { loadSubnetModel } from './load-subnet-model.js';
import { preprocessImage } from './preprocess-image.js';
import { graphModelRunner } from './subnet-runner.js';
import { classNames, exportedRunFiles, tinySupernet, useCpu } from './test-utils/exported-run.js';
import { memorySource } from './test-utils/memory-source.js';

describe('preprocessImage', () => {
  beforeAll(useCpu);

  it('resizes with half-pixel centres and normalises with the run mean and std', () => {
    const metadata = {
      inputShape: [-1, 2, 2, 1],
      normalization: { mean: [0.5], std: [0.25] },
    } as unknown as Parameters<typeof preprocessImage>[1];
    // A 4x4 image whose 2x2 resize averages each 2x2 block exactly.
    const pixels = tf.tensor3d(
      [0, 0, 255, 255, 0, 0, 255, 255, 51, 51, 102, 102, 51, 51, 102, 102],
      [4, 4, 1],
    );
    const output = preprocessImage(pixels, metadata);
    expect(output.shape).toEqual([1, 2, 2, 1]);
    const expected = [0, 255, 51, 102].map((value) => (value / 255 - 0.5) / 0.25);
    const actual = Array.from(output.dataSync());
    for (const [index, value] of actual.entries()) expect(value).toBeCloseTo(expected[index]!, 5);
    tf.dispose([pixels, output]);
  });

  it('turns colour into grey for a one-channel model', () => {
    const metadata = {
      inputShape: [-1, 1, 1, 1],
      normalization: { mean: [0], std: [1] },
    } as unknown as Parameters<typeof preprocessImage>[1];
    const pixels = tf.tensor3d([100, 100, 100], [1, 1, 3]);
    const output = preprocessImage(pixels, metadata);
    expect(output.dataSync()[0]).toBeCloseTo(100 / 255, 5);
    tf.dispose([pixels, output]);
  });
});

describe('classify', () => {
  let supernet: Supernet;
  beforeAll(async () => {
    await useCpu();
    supernet = tinySupernet();
  });
  afterAll(() => supernet.dispose());

  it('returns the top-k classes by logit with the run class names and softmax probabilities', async () => {
    const { files } = await exportedRunFiles(supernet);
    const run = await loadRun(memorySource(files));
    const metadata = run.subnets[1]!.metadata;
    const model = await loadSubnetModel(run.source, run.subnets[1]!.path);
    const runner = graphModelRunner(model, metadata);
    const image = tf.randomUniform([28, 28, 1], 0, 255, 'float32', 2) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const result = await classify(runner, metadata, image, { topK: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.logits).toHaveLength(6);
    expect(result.top).toHaveLength(3);
    const sortedLogits = [...result.logits].sort((a, b) => b - a);
    expect(result.top.map((prediction) => prediction.logit)).toEqual(sortedLogits.slice(0, 3));
    expect(result.top[0]!.label).toBe(classNames[result.top[0]!.index]);
    const exponentials = Array.from(result.logits, (logit) => Math.exp(logit));
    const total = exponentials.reduce((sum, value) => sum + value, 0);
    expect(result.top[0]!.probability).toBeCloseTo(exponentials[result.top[0]!.index]! / total, 5);
    image.dispose();
    model.dispose();
  });
});
