import { createSupernet, registerGradients } from '@supernas/elastic';
import {
  type ArchConfig,
  createRng,
  maxArch,
  minArch,
  sampleArch,
  tinySpace,
} from '@supernas/search-space';
import { describeForBackends, seededTensor } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NativeBackend } from './native-backend.js';
import { setUpBackends } from './test-utils/backends.js';

// The pool's purpose: an elastic supernet's training passes, whose subnets all have other layer
// sizes, run from recycled buffers once the working set has been allocated.
describeForBackends(['native'], 'the output-buffer pool in training', () => {
  beforeAll(async () => {
    await setUpBackends();
    await registerGradients();
    await tf.setBackend('native');
  });
  afterAll(() => tf.setBackend('cpu'));

  it('allocates almost nothing afresh once a sandwich of subnets has run', () => {
    const supernet = createSupernet(tinySpace, { numClasses: 10, inputChannels: 1, seed: 1 });
    const rng = createRng(5);
    const images = {
      24: seededTensor([16, 24, 24, 1], 2) as tf.Tensor4D,
      28: seededTensor([16, 28, 28, 1], 3) as tf.Tensor4D,
    };
    const variables = supernet.trainableNames.map((name) => supernet.variables.get(name)!);
    const run = (archs: readonly ArchConfig[]) => {
      for (const arch of archs) {
        const { value, grads } = tf.variableGrads(
          () =>
            tf.sum(
              tf.square(
                supernet.apply(images[arch.resolution as 24 | 28], arch, { training: true }),
              ),
            ) as tf.Scalar,
          variables,
        );
        tf.dispose([value, ...Object.values(grads)]);
      }
    };
    const sandwich = () => [maxArch(tinySpace), sampleArch(tinySpace, rng), minArch(tinySpace)];
    const backend = tf.backend() as NativeBackend;
    const allocated = () => backend.poolStats.allocatedBytes;
    try {
      const first = sandwich();
      run(first);
      const firstStep = allocated();
      // The same subnets again: the buffers come from the pool, but for the few arrays that a
      // cpu kernel read (they may keep a view of them, so they are never recycled).
      run(first);
      expect(allocated() - firstStep).toBeLessThan(0.01 * firstStep);
      const secondStep = allocated();
      // New middle subnets: a few buffers of size classes not seen yet.
      for (let index = 0; index < 4; index++) run(sandwich());
      expect((allocated() - secondStep) / 4).toBeLessThan(0.05 * firstStep);
      expect(backend.poolStats.pooledBytes).toBeLessThanOrEqual(backend.poolStats.maxBytes);
    } finally {
      tf.dispose(Object.values(images));
      supernet.dispose();
    }
  });
});
