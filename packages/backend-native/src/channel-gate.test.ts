import { describeForBackends, seededTensor } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getNativeKernelStats, resetNativeKernelStats } from './index.js';
import { fusedKernelNames } from './kernels/fused-kernels.js';
import { expectBackendsAgree, setUpBackends } from './test-utils/backends.js';

// On native the kernels run; on cpu the tfjs ops they replace (what @supernas/elastic's composed
// squeeze-excite block back-propagates through).
const onNative = () => tf.getBackend() === 'native';

function gateGrad(dy: tf.Tensor4D, x: tf.Tensor4D): tf.Tensor {
  if (!onNative()) return tf.reshape(tf.sum(tf.mul(dy, x), [1, 2]), [x.shape[0], x.shape[3]]);
  return tf.engine().runKernel(fusedKernelNames.channelGateGrad, { dy, x }) as tf.Tensor;
}

function inputGrad(dy: tf.Tensor4D, gate: tf.Tensor2D, dPooled: tf.Tensor2D): tf.Tensor {
  const [batch, height, width, channels] = dy.shape;
  if (!onNative()) {
    const throughGate = tf.mul(dy, tf.reshape(gate, [batch, 1, 1, channels]));
    const throughPool = tf.broadcastTo(
      tf.div(tf.reshape(dPooled, [batch, 1, 1, channels]), height * width),
      dy.shape,
    );
    return tf.add(throughGate, throughPool);
  }
  return tf.engine().runKernel(fusedKernelNames.channelGateInputGrad, {
    dy,
    gate,
    dPooled,
  }) as tf.Tensor;
}

describeForBackends(['native'], 'channel gate kernels', () => {
  beforeAll(setUpBackends);
  afterAll(() => tf.setBackend('cpu'));

  for (const shape of [
    [2, 5, 7, 3],
    [16, 12, 12, 72],
    [3, 1, 1, 8],
  ] as const) {
    it(`match the composed ops for [${shape}]`, async () => {
      resetNativeKernelStats();
      const [batch, , , channels] = shape;
      await expectBackendsAgree(() => {
        const dy = seededTensor([...shape], 1) as tf.Tensor4D;
        const x = seededTensor([...shape], 2, -3, 3) as tf.Tensor4D;
        const gate = seededTensor([batch, channels], 3, 0, 1) as tf.Tensor2D;
        const dPooled = seededTensor([batch, channels], 4) as tf.Tensor2D;
        return [gateGrad(dy, x), inputGrad(dy, gate, dPooled)];
      }, 1e-5);
      const { native } = getNativeKernelStats();
      expect(native.SupernasChannelGateGrad).toBe(1);
      expect(native.SupernasChannelGateInputGrad).toBe(1);
    });
  }

  it('give the gate and input gradients bit for bit where no sum is involved', async () => {
    await tf.setBackend('native');
    const dy = seededTensor([2, 3, 3, 4], 5) as tf.Tensor4D;
    const gate = seededTensor([2, 4], 6) as tf.Tensor2D;
    const dPooled = seededTensor([2, 4], 7) as tf.Tensor2D;
    const fused = tf.tidy(() => inputGrad(dy, gate, dPooled).dataSync());
    await tf.setBackend('cpu');
    const composed = tf.tidy(() => inputGrad(dy, gate, dPooled).dataSync());
    expect(Array.from(fused)).toEqual(Array.from(composed));
    tf.dispose([dy, gate, dPooled]);
  });

  it('name the shapes they cannot take', async () => {
    await tf.setBackend('native');
    const dy = tf.zeros([2, 3, 3, 4]);
    const x = tf.zeros([2, 3, 3, 5]);
    expect(() => tf.engine().runKernel(fusedKernelNames.channelGateGrad, { dy, x })).toThrow(
      /SupernasChannelGateGrad: expected float32/,
    );
    tf.dispose([dy, x]);
  });
});
