import { calibrateBatchNorm, saveSupernet } from '@supernas/elastic';
import { archKey, maxArch, minArch, tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExportMetadata } from './export-metadata.js';
import { preprocessImage } from './preprocess-image.js';
import {
  calibratedArchRunner,
  imageBatches,
  loadRunSupernet,
  supernetArchRunner,
} from './supernet-runner.js';
import { normalization, tinySupernet, useCpu } from './test-utils/exported-run.js';
import { memorySource } from './test-utils/memory-source.js';

describe('loadRunSupernet', () => {
  beforeAll(useCpu);

  it('loads a checkpoint written by saveSupernet through an artifact source, weights intact', async () => {
    const saved = tinySupernet();
    const files = new Map<string, string | ArrayBuffer>();
    await saveSupernet(
      saved,
      {
        save: async (artifacts) => {
          const { weightData, weightSpecs, ...json } = artifacts;
          files.set(
            'checkpoint/model.json',
            JSON.stringify({
              ...json,
              weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }],
            }),
          );
          files.set(
            'checkpoint/weights.bin',
            tf.io.CompositeArrayBuffer.join(weightData!).slice(0),
          );
          return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
        },
      },
      { step: 7 },
    );
    const { supernet, step } = await loadRunSupernet(memorySource(files));
    try {
      expect(step).toBe(7);
      expect(supernet.space.name).toBe('tiny');
      const arch = maxArch(tinySpace);
      const images = tf.randomNormal(
        [1, arch.resolution, arch.resolution, 1],
        0,
        1,
        'float32',
        3,
      ) as tf.Tensor4D;
      const original = supernetArchRunner(saved, arch);
      const loaded = supernetArchRunner(supernet, arch);
      const expected = original.run(images);
      const actual = loaded.run(images);
      expect(Array.from(await actual.data())).toEqual(Array.from(await expected.data()));
      tf.dispose([images, expected, actual]);
      original.dispose();
      loaded.dispose();
    } finally {
      supernet.dispose();
      saved.dispose();
    }
  });
});

describe('calibratedArchRunner', () => {
  beforeAll(useCpu);
  const arch = minArch(tinySpace);
  const metadata = {
    arch,
    archKey: archKey(arch),
    inputShape: [-1, arch.resolution, arch.resolution, 1],
    normalization,
  } as unknown as ExportMetadata;

  it('calibrates BN on the images in batches through preprocessImage, as calibrateBatchNorm does by hand', async () => {
    const before = tf.memory().numTensors;
    const images = Array.from(
      { length: 5 },
      (_, i) => tf.randomUniform([28, 28, 1], 0, 255, 'float32', 10 + i) as tf.Tensor3D,
    );
    const probe = tf.randomNormal(
      [2, arch.resolution, arch.resolution, 1],
      0,
      1,
      'float32',
      4,
    ) as tf.Tensor4D;
    const ours = tinySupernet();
    const byHand = tinySupernet();
    try {
      const sizes: number[] = [];
      for (const batch of imageBatches(images, metadata, 2)) sizes.push(batch.shape[0]);
      expect(sizes).toEqual([2, 2, 1]);

      const uncalibrated = supernetArchRunner(ours, arch);
      const runner = await calibratedArchRunner(ours, arch, imageBatches(images, metadata, 2));
      const handBatches = tf.tidy(() => [
        tf.concat(images.slice(0, 2).map((image) => preprocessImage(image, metadata))),
        tf.concat(images.slice(2, 4).map((image) => preprocessImage(image, metadata))),
        preprocessImage(images[4]!, metadata),
      ]) as tf.Tensor4D[];
      await calibrateBatchNorm(byHand, arch, handBatches);
      const reference = supernetArchRunner(byHand, arch);
      const [actual, expected, raw] = [runner, reference, uncalibrated].map((r) => r.run(probe));
      const values = await actual!.data();
      expect(Array.from(values)).toEqual(Array.from(await expected!.data()));
      // Calibration changed something: the checkpoint's statistics are not the images'.
      expect(Array.from(values)).not.toEqual(Array.from(await raw!.data()));
      tf.dispose([...handBatches, actual!, expected!, raw!]);
      for (const r of [runner, reference, uncalibrated]) r.dispose();
    } finally {
      ours.dispose();
      byHand.dispose();
      tf.dispose([...images, probe]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
