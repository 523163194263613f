import { describeForBackends, seededTensor } from '@supernas/test-utils';
import { Sgd } from '@supernas/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getNativeKernelStats, resetNativeKernelStats } from './index.js';
import { expectBackendsAgree, setUpBackends } from './test-utils/backends.js';

// @supernas/trainer's Sgd takes the SupernasSgdStep kernel where the backend registers it: the
// weights and momentum buffers after a few steps must equal the composed ops' on cpu.
describeForBackends(['native'], 'SupernasSgdStep through Sgd', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  for (const config of [
    { momentum: 0.9, nesterov: true, weightDecay: 4e-5 },
    { momentum: 0.9, nesterov: false, weightDecay: 0 },
    { momentum: 0, nesterov: false, weightDecay: 1e-3 },
  ]) {
    it(`matches the composed update on cpu for ${JSON.stringify(config)}`, async () => {
      resetNativeKernelStats();
      await expectBackendsAgree(
        () => {
          const sgd = new Sgd(config);
          const parameters = new Map([
            ['conv.weight', tf.variable(seededTensor([3, 3, 8, 16], 1), true)],
            ['bn.weight', tf.variable(seededTensor([16], 2), true)],
          ]);
          try {
            for (let step = 0; step < 3; step++) {
              const gradients = new Map(
                [...parameters].map(([name, parameter], index) => [
                  name,
                  seededTensor(parameter.shape, 10 * step + index + 3),
                ]),
              );
              sgd.applyGradients(parameters, gradients, 0.1, (name) => name !== 'bn.weight');
              tf.dispose([...gradients.values()]);
            }
            return [
              ...[...parameters.values()].map((parameter) => tf.clone(parameter)),
              ...sgd.getWeights().map(({ tensor }) => tf.clone(tensor)),
            ];
          } finally {
            sgd.dispose();
            for (const parameter of parameters.values()) parameter.dispose();
          }
        },
        1e-6,
        1e-9,
      );
      expect(getNativeKernelStats().native.SupernasSgdStep).toBe(6);
    });
  }
});
