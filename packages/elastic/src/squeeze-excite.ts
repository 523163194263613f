import * as tf from '@tensorflow/tfjs-core';
import { applyActivation } from './activation.js';
import { globalAveragePool } from './elastic-ops.js';
import { fusedKernelNames, hasFusedKernels } from './fused-kernels.js';

/**
 * A squeeze-excite block's gate from its pooled input [N, C]: reduce (relu), expand, h_sigmoid,
 * with the intermediate tensors the fused backward needs.
 */
function squeezeExciteGate(
  pooled: tf.Tensor2D,
  reduceWeight: tf.Tensor2D,
  reduceBias: tf.Tensor1D,
  expandWeight: tf.Tensor2D,
  expandBias: tf.Tensor1D,
): { reduced: tf.Tensor2D; expanded: tf.Tensor2D; gate: tf.Tensor2D } {
  const reduced = tf.fused.matMul({
    a: pooled,
    b: reduceWeight,
    bias: reduceBias,
    activation: 'relu',
  }) as tf.Tensor2D;
  const expanded = tf.fused.matMul({
    a: reduced,
    b: expandWeight,
    bias: expandBias,
  }) as tf.Tensor2D;
  return { reduced, expanded, gate: applyActivation(expanded, 'h_sigmoid') };
}

/**
 * A squeeze-excite block in a training pass, backward through the channel-gate kernels: x [N, H,
 * W, C], reduce [C, S] + bias [S] (relu), expand [S, C] + bias [C] (h_sigmoid), y = x * gate.
 * The forward runs the same tfjs ops as the composed block; the backward reads x and dy twice
 * in all where the composed ops write four full tensors (dy * gate, dy * x, the pool's broadcast
 * gradient and the sum of the two), and follows the composed ops' arithmetic for the small
 * tensors (the gate's 1/6 and relu6 mask, the matmuls and bias sums of the two layers).
 */
const fusedSqueezeExcite = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, reduceWeight, reduceBias, expandWeight, expandBias, save] = args as [
    tf.Tensor4D,
    tf.Tensor2D,
    tf.Tensor1D,
    tf.Tensor2D,
    tf.Tensor1D,
    tf.GradSaveFunc,
  ];
  const [batch, , , channels] = x.shape;
  const pooled = tf.reshape(tf.mean(x, [1, 2]), [batch, channels]) as tf.Tensor2D;
  const { reduced, expanded, gate } = squeezeExciteGate(
    pooled,
    reduceWeight,
    reduceBias,
    expandWeight,
    expandBias,
  );
  const value = tf.mul(x, tf.reshape(gate, [batch, 1, 1, channels]));
  save([x, pooled, reduced, expanded, gate, reduceWeight, expandWeight]);
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
    const [sx, sPooled, sReduced, sExpanded, sGate, sReduceWeight, sExpandWeight] = saved as [
      tf.Tensor4D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor2D,
    ];
    const dGate = tf.engine().runKernel(fusedKernelNames.channelGateGrad, {
      dy,
      x: sx,
    }) as tf.Tensor2D;
    // h_sigmoid = relu6(z + 3) / 6: tfjs' relu6 gradient passes where 0 < z + 3 <= 6.
    const shifted = tf.add(sExpanded, 3);
    const passes = tf.mul(tf.lessEqual(shifted, 6), tf.step(shifted));
    const dExpanded = tf.mul(tf.mul(dGate, 1 / 6), passes) as tf.Tensor2D;
    const dExpandWeight = tf.matMul(sReduced, dExpanded, true, false);
    const dExpandBias = tf.sum(dExpanded, 0);
    const dReducedOut = tf.matMul(dExpanded, sExpandWeight, false, true);
    const dReduced = tf.mul(dReducedOut, tf.step(sReduced)) as tf.Tensor2D;
    const dReduceWeight = tf.matMul(sPooled, dReduced, true, false);
    const dReduceBias = tf.sum(dReduced, 0);
    const dPooled = tf.matMul(dReduced, sReduceWeight, false, true);
    const dx = tf.engine().runKernel(fusedKernelNames.channelGateInputGrad, {
      dy,
      gate: sGate,
      dPooled,
    }) as tf.Tensor;
    return [dx, dReduceWeight, dReduceBias, dExpandWeight, dExpandBias];
  };
  return { value, gradFunc };
});

/**
 * A squeeze-excite block: x [N, H, W, C] scaled per sample and channel by the gate of its global
 * average. `reduceWeight` [C, S] + `reduceBias` [S], `expandWeight` [S, C] + `expandBias` [C]. In
 * a training pass on a backend with the channel-gate kernels its backward runs through them.
 */
export function squeezeExcite(
  x: tf.Tensor4D,
  reduceWeight: tf.Tensor2D,
  reduceBias: tf.Tensor1D,
  expandWeight: tf.Tensor2D,
  expandBias: tf.Tensor1D,
  training: boolean,
): tf.Tensor4D {
  if (
    training &&
    hasFusedKernels(fusedKernelNames.channelGateGrad, fusedKernelNames.channelGateInputGrad)
  ) {
    return fusedSqueezeExcite(x, reduceWeight, reduceBias, expandWeight, expandBias) as tf.Tensor4D;
  }
  const [batch, , , channels] = x.shape;
  const pooled = tf.reshape(globalAveragePool(x), [batch, channels]) as tf.Tensor2D;
  const { gate } = squeezeExciteGate(pooled, reduceWeight, reduceBias, expandWeight, expandBias);
  return tf.mul(x, tf.reshape(gate, [batch, 1, 1, channels]));
}
