import { createSupernet, registerGradients } from '@supernas/elastic';
import { getSearchSpace, minArch } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTrainConfig } from './config.js';
import { evaluateSubnet, evaluationChunkSize } from './evaluate-subnets.js';
import { loadRunDataset } from './load-dataset.js';

describe('evaluateSubnet', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await registerGradients();
  });

  it('classifies large test batches in passes of at most evaluationChunkSize images, with the same result', async () => {
    const { data } = parseTrainConfig({ data: { trainLimit: 64, testLimit: 250 } });
    const [train, test] = await Promise.all([
      loadRunDataset(data, 'train', 0),
      loadRunDataset(data, 'test', 0),
    ]);
    const space = getSearchSpace('tiny');
    const supernet = createSupernet(space, { numClasses: 10, inputChannels: 1, seed: 1 });
    const arch = minArch(space);
    const passes: number[] = [];
    const apply = supernet.apply.bind(supernet);
    supernet.apply = (images, ...rest) => {
      passes.push(images.shape[0]);
      return apply(images, ...rest);
    };
    const options = { calibrationBatches: 1, calibrationBatchSize: 32, seed: 0 };
    const before = tf.memory().numTensors;
    const large = await evaluateSubnet(
      supernet,
      arch,
      'min',
      { train, test },
      { ...options, batchSize: 250 },
    );
    // The 250 test images in passes of at most 100 (calibration runs its own passes).
    expect(passes).toEqual([evaluationChunkSize, evaluationChunkSize, 50]);
    passes.length = 0;
    const small = await evaluateSubnet(
      supernet,
      arch,
      'min',
      { train, test },
      { ...options, batchSize: 50 },
    );
    expect(passes).toEqual([50, 50, 50, 50, 50]);
    expect(large).toEqual(small);
    expect(large.examples).toBe(250);
    expect(tf.memory().numTensors).toBe(before);
    supernet.dispose();
  });
});
