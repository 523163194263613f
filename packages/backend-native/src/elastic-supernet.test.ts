import { createSupernet, registerGradients } from '@supernas/elastic';
import { createRng, maxArch, sampleArch, tinySpace } from '@supernas/search-space';
import { describeForBackends, seededTensor } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getNativeKernelStats, resetNativeKernelStats } from './index.js';
import { expectBackendsAgree, setUpBackends } from './test-utils/backends.js';

// The elastic layers take the fused BN and swish kernels when the backend has them: a whole
// supernet's logits and weight gradients must not depend on which path ran.
describeForBackends(['native'], 'elastic supernet on native', () => {
  beforeAll(async () => {
    await setUpBackends();
    await registerGradients();
  });
  afterAll(() => tf.setBackend('cpu'));

  for (const [label, arch] of [
    ['the max arch', maxArch(tinySpace)],
    ['a random arch', sampleArch(tinySpace, createRng(4))],
  ] as const) {
    it(`matches the cpu backend's logits and gradients for ${label}, using the fused kernels`, async () => {
      resetNativeKernelStats();
      await expectBackendsAgree(
        () => {
          const supernet = createSupernet(tinySpace, { numClasses: 10, inputChannels: 1, seed: 3 });
          try {
            const x = seededTensor([4, arch.resolution, arch.resolution, 1], 7) as tf.Tensor4D;
            const variables = supernet.trainableNames.map((name) => supernet.variables.get(name)!);
            const { value, grads } = tf.variableGrads(
              () => tf.sum(tf.square(supernet.apply(x, arch, { training: true }))) as tf.Scalar,
              variables,
            );
            const logits = supernet.apply(x, arch, { training: true });
            return [
              logits,
              value,
              ...variables.filter((v) => grads[v.name] !== undefined).map((v) => grads[v.name]!),
            ];
          } finally {
            supernet.dispose();
          }
        },
        2e-3,
        1e-3,
      );
      const { native } = getNativeKernelStats();
      // Project BNs alone, the other BNs fused with their swish, the head's swish alone.
      expect(native.SupernasBatchNormTraining ?? 0).toBeGreaterThan(0);
      expect(native.SupernasBatchNormSwishTraining ?? 0).toBeGreaterThan(0);
      expect(native.SupernasBatchNormSwishTrainingGrad ?? 0).toBeGreaterThan(0);
      expect(native.SupernasSwish ?? 0).toBeGreaterThan(0);
      // Squeeze-excite blocks (the tiny space's last two stages) back-propagate in two passes.
      expect(native.SupernasChannelGateGrad ?? 0).toBeGreaterThan(0);
      expect(native.SupernasChannelGateInputGrad ?? 0).toBeGreaterThan(0);
    });
  }
});
