import * as tf from '@tensorflow/tfjs-core';
import { batchNormEpsilon } from './batch-norm-epsilon.js';

/**
 * Kernels a backend may register to run a whole layer in one pass (`@supernas/backend-native`
 * does). Elastic layers use them when the active backend has them and fall back to tfjs ops
 * otherwise, so results do not depend on which path ran; nothing here imports a backend.
 *
 * - `SupernasBatchNormTraining` {x, gamma, beta}, attrs {epsilon} -> [y, mean, inverseStd]
 * - `SupernasBatchNormTrainingGrad` {dy, x, mean, inverseStd, gamma} -> [dx, dGamma, dBeta]
 * - `SupernasSwish` {x} -> y; `SupernasSwishGrad` {dy, x} -> dx
 * - `SupernasBatchNormSwishTraining` {x, gamma, beta}, attrs {epsilon} -> [swish(BN(x)), mean,
 *   inverseStd]; `SupernasBatchNormSwishTrainingGrad` {dy, x, mean, inverseStd, gamma, beta}
 *   -> [dx, dGamma, dBeta]: a layer's BN and activation in one kernel each way
 * - `SupernasPointwiseConv` {x: [..., C], weight: [1, 1, C, K] or [C, K]} -> y [..., K];
 *   `SupernasPointwiseConvGrad` {dy, x, weight} -> [dx, dWeight]: a 1x1 conv, one kernel each way
 * - `SupernasChannelGateGrad` {dy, x: [N, H, W, C]} -> dGate [N, C] (the sum over H, W of
 *   dy * x) and `SupernasChannelGateInputGrad` {dy, gate: [N, C], dPooled: [N, C]} -> dx =
 *   dy * gate + dPooled / (H * W): a squeeze-excite block's backward in two passes over its input
 */
export const fusedKernelNames = {
  batchNormTraining: 'SupernasBatchNormTraining',
  batchNormTrainingGrad: 'SupernasBatchNormTrainingGrad',
  swish: 'SupernasSwish',
  swishGrad: 'SupernasSwishGrad',
  batchNormSwishTraining: 'SupernasBatchNormSwishTraining',
  batchNormSwishTrainingGrad: 'SupernasBatchNormSwishTrainingGrad',
  pointwiseConv: 'SupernasPointwiseConv',
  pointwiseConvGrad: 'SupernasPointwiseConvGrad',
  channelGateGrad: 'SupernasChannelGateGrad',
  channelGateInputGrad: 'SupernasChannelGateInputGrad',
} as const;

/** Whether the active backend registers both `forward` and `backward`. */
export function hasFusedKernels(forward: string, backward: string): boolean {
  const backend = tf.getBackend();
  return (
    tf.getKernel(forward, backend) !== undefined && tf.getKernel(backward, backend) !== undefined
  );
}

function run(
  kernelName: string,
  inputs: tf.NamedTensorMap,
  attrs: tf.NamedAttrMap = {},
): tf.Tensor[] {
  const outputs = tf.engine().runKernel(kernelName, inputs, attrs);
  return Array.isArray(outputs) ? (outputs as tf.Tensor[]) : [outputs as tf.Tensor];
}

/** BN in training mode through the fused kernels (same maths as the tfjs-ops path). */
export const fusedBatchNormTraining = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  const [value, mean, inverseStd] = run(
    fusedKernelNames.batchNormTraining,
    { x, gamma, beta },
    { epsilon: batchNormEpsilon },
  );
  save([x, mean!, inverseStd!, gamma]);
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
    const [savedX, savedMean, savedInverseStd, savedGamma] = saved as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
    ];
    return run(fusedKernelNames.batchNormTrainingGrad, {
      dy,
      x: savedX,
      mean: savedMean,
      inverseStd: savedInverseStd,
      gamma: savedGamma,
    });
  };
  return { value: value!, gradFunc };
});

/** x * sigmoid(x) through the fused kernels. */
export const fusedSwish = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const [value] = run(fusedKernelNames.swish, { x });
  save([x]);
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor =>
    run(fusedKernelNames.swishGrad, { dy, x: saved[0]! })[0]!;
  return { value: value!, gradFunc };
});

/** swish(BN in training mode) through the fused kernels (same maths as the two ops). */
export const fusedBatchNormSwishTraining = tf.customGrad(
  (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [value, mean, inverseStd] = run(
      fusedKernelNames.batchNormSwishTraining,
      { x, gamma, beta },
      { epsilon: batchNormEpsilon },
    );
    save([x, mean!, inverseStd!, gamma, beta]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [savedX, savedMean, savedInverseStd, savedGamma, savedBeta] = saved as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
      return run(fusedKernelNames.batchNormSwishTrainingGrad, {
        dy,
        x: savedX,
        mean: savedMean,
        inverseStd: savedInverseStd,
        gamma: savedGamma,
        beta: savedBeta,
      });
    };
    return { value: value!, gradFunc };
  },
);

/** A stride-1 1x1 conv through the fused kernels (same maths as reshapes and a matmul). */
export const fusedPointwiseConv = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, weight, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  const [value] = run(fusedKernelNames.pointwiseConv, { x, weight });
  save([x, weight]);
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
    const [savedX, savedWeight] = saved as [tf.Tensor, tf.Tensor];
    return run(fusedKernelNames.pointwiseConvGrad, { dy, x: savedX, weight: savedWeight });
  };
  return { value: value!, gradFunc };
});

/**
 * A squeeze-excite block in a training pass, backward through the channel-gate kernels: x [N, H,
 * W, C], reduce [C, S] + bias [S] (relu), expand [S, C] + bias [C] (h_sigmoid), y = x * gate.
 * The forward runs the same tfjs ops as the composed block; the backward reads x and dy twice
 * in all where the composed ops write four full tensors (dy * gate, dy * x, the pool's broadcast
 * gradient and the sum of the two), and follows the composed ops' arithmetic for the small
 * tensors (the gate's 1/6 and relu6 mask, the matmuls and bias sums of the two layers).
 */
export const fusedSqueezeExcite = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
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
  const reduced = tf.fused.matMul({
    a: pooled,
    b: reduceWeight,
    bias: reduceBias,
    activation: 'relu',
  });
  const expanded = tf.fused.matMul({ a: reduced, b: expandWeight, bias: expandBias });
  const gate = tf.mul(tf.relu6(tf.add(expanded, 3)), 1 / 6) as tf.Tensor2D;
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
    const [dGate] = run(fusedKernelNames.channelGateGrad, { dy, x: sx }) as [tf.Tensor2D];
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
    const [dx] = run(fusedKernelNames.channelGateInputGrad, { dy, gate: sGate, dPooled });
    return [dx!, dReduceWeight, dReduceBias, dExpandWeight, dExpandBias];
  };
  return { value, gradFunc };
});
