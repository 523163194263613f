import { maxArch, minArch, tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupernet } from '../create-supernet.js';
import { disposeStaticSubnet } from '../dispose-static-subnet.js';
import { extractSubnet } from '../extract-subnet.js';
import { foldBatchNorm } from '../fold-batch-norm.js';
import { memoryHandler } from '../io/test-utils/memory-handler.js';
import { randomizeVariables } from '../io/test-utils/randomize-variables.js';
import { runStaticSubnet } from '../run-static-subnet.js';
import type { Supernet } from '../types.js';
import { exportGraphModel } from './export-graph-model.js';
import { relativeError } from './test-utils/relative-error.js';

// Resolution 28 makes the last stage's stride-2 block see a 7x7 map: the padded shortcut pool.
const archs = {
  max: { ...maxArch(tinySpace), resolution: 28 },
  min: { ...minArch(tinySpace), resolution: 24 },
};

describe('foldBatchNorm and exportGraphModel on extracted tiny subnets', () => {
  let supernet: Supernet;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    supernet = createSupernet(tinySpace, { numClasses: 6, seed: 3 });
    randomizeVariables(supernet, 12);
  });
  afterAll(() => {
    supernet.dispose();
  });

  for (const [label, arch] of Object.entries(archs)) {
    it(`predict as runStaticSubnet does within 1e-5 (${label} arch)`, async () => {
      const before = tf.memory().numTensors;
      const subnet = extractSubnet(supernet, arch);
      const input = tf.randomNormal(
        [2, arch.resolution, arch.resolution, 3],
        0,
        1,
        'float32',
        6,
      ) as tf.Tensor4D;
      const expected = runStaticSubnet(subnet, input);

      const folded = foldBatchNorm(subnet);
      expect(folded.nodes.some((node) => node.kind === 'batchNorm')).toBe(false);
      const foldedLogits = runStaticSubnet(folded, input);
      expect(relativeError(foldedLogits, expected)).toBeLessThan(1e-5);

      const handler = memoryHandler();
      await exportGraphModel(subnet, handler);
      const model = await loadGraphModel(handler);
      const exported = model.predict(input) as tf.Tensor;
      expect(exported.shape).toEqual([2, 6]);
      expect(relativeError(exported, expected)).toBeLessThan(1e-5);

      model.dispose();
      tf.dispose([input, expected, foldedLogits, exported]);
      disposeStaticSubnet(folded);
      disposeStaticSubnet(subnet);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
