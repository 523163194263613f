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
