import {
  disposeStaticSubnet,
  extractSubnet,
  runStaticSubnet,
  type Supernet,
} from '@supernas/elastic';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunArtifactError } from './errors.js';
import { loadRun } from './load-run.js';
import { loadSubnetModel } from './load-subnet-model.js';
import { graphModelRunner } from './subnet-runner.js';
import { exportedRunFiles, tinySupernet, useCpu } from './test-utils/exported-run.js';
import { memorySource } from './test-utils/memory-source.js';

describe('loadRun', () => {
  let supernet: Supernet;
  let files: Map<string, string | ArrayBuffer>;
  let archs: Awaited<ReturnType<typeof exportedRunFiles>>['archs'];
  beforeAll(async () => {
    await useCpu();
    supernet = tinySupernet();
    ({ files, archs } = await exportedRunFiles(supernet));
  });
  afterAll(() => supernet.dispose());

  it('reads the manifest, every subnet metadata, the config and the metrics', async () => {
    const run = await loadRun(memorySource(files));
    expect(run.space.name).toBe('tiny');
    expect(run.subnets.map((subnet) => subnet.path)).toEqual(['subnets/max', 'subnets/min']);
    expect(run.subnets[1]!.metadata.arch).toEqual(archs.min);
    expect(run.subnets[0]!.metadata.top1).toBe(0.8);
    expect(run.config).toEqual({ space: 'tiny', seed: 0 });
    expect(run.metrics).toEqual([
      { step: 1, loss: 2.3 },
      { step: 2, loss: 2.1 },
    ]);
  });

  it('finds the subnets of a picked folder with no web-run.json from the file names', async () => {
    const picked = new Map(files);
    picked.delete('web-run.json');
    const run = await loadRun(memorySource(picked, { listable: true }));
    expect(run.subnets.map((subnet) => subnet.path)).toEqual(['subnets/max', 'subnets/min']);
    expect(run.metrics).toHaveLength(2);
  });

  it('names the file and the field when metadata is not an export of format 1', async () => {
    const broken = new Map(files);
    broken.set(
      'subnets/min/metadata.json',
      JSON.stringify({ format: 'supernas-export', formatVersion: 2 }),
    );
    const error = await loadRun(memorySource(broken)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RunArtifactError);
    expect((error as Error).message).toMatch(
      /subnets\/min\/metadata\.json: formatVersion is 2, expected 1/,
    );
    expect((error as RunArtifactError).code).toBe('run_artifact_invalid');
  });

  it('fails on a run folder without any exported subnet', async () => {
    const empty = new Map<string, string>([['config.json', '{}']]);
    await expect(loadRun(memorySource(empty, { listable: true }))).rejects.toThrow(
      /holds no exported subnet/,
    );
  });
});

describe('loadSubnetModel', () => {
  it('loads an exported subnet whose logits equal the static subnet it was exported from', async () => {
    await useCpu();
    const supernet = tinySupernet();
    try {
      const { files, archs } = await exportedRunFiles(supernet);
      const run = await loadRun(memorySource(files));
      const model = await loadSubnetModel(run.source, 'subnets/max');
      const runner = graphModelRunner(model, run.subnets[0]!.metadata);
      expect(runner.inputShape).toEqual([archs.max.resolution, archs.max.resolution, 1]);
      const subnet = extractSubnet(supernet, archs.max);
      const before = tf.memory().numTensors;
      const images = tf.randomNormal([2, ...runner.inputShape], 0, 1, 'float32', 7) as tf.Tensor4D;
      const expected = runStaticSubnet(subnet, images);
      const actual = runner.run(images);
      const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(actual, expected))));
      expect((await difference.data())[0]).toBeLessThan(1e-4);
      tf.dispose([images, expected, actual, difference]);
      expect(tf.memory().numTensors).toBe(before);
      disposeStaticSubnet(subnet);
      model.dispose();
    } finally {
      supernet.dispose();
    }
  });
});
