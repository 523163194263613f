import { saveSupernet } from '@supernas/elastic';
import { maxArch, tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRunSupernet, supernetArchRunner } from './supernet-runner.js';
import { tinySupernet, useCpu } from './test-utils/exported-run.js';
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
