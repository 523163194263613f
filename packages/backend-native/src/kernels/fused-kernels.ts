import { formatValue, SupernasError } from '@supernas/errors';
import { floatValues, type NativeKernel } from './native-kernel.js';

/**
 * Names of the fused training kernels, registered on the `native` backend only. Inputs and
 * outputs (all float32, channels last, per-channel tensors of shape [C]):
 * - `SupernasBatchNormTraining`: {x, gamma, beta}, attrs {epsilon} -> [y, mean, inverseStd]
 * - `SupernasBatchNormTrainingGrad`: {dy, x, mean, inverseStd, gamma} -> [dx, dGamma, dBeta]
 * - `SupernasSwish`: {x} -> y = x * sigmoid(x)
 * - `SupernasSwishGrad`: {dy, x} -> dy * d(x * sigmoid(x))/dx
 * - `SupernasBatchNormSwishTraining`: {x, gamma, beta}, attrs {epsilon} -> [y, mean, inverseStd]
 *   with y = swish(batch norm of x): the BN and activation of an MBConv layer in one kernel;
 * - `SupernasBatchNormSwishTrainingGrad`: {dy, x, mean, inverseStd, gamma, beta}
 *   -> [dx, dGamma, dBeta] (the BN output is recomputed from x, never stored).
 * - `SupernasSgdStep`: {parameter, gradient, buffer}, attrs {learningRate, momentum,
 *   weightDecay, nesterov} -> [nextParameter, nextBuffer]: one SGD step with momentum.
 * - `SupernasPointwiseConv`: {x: [..., C], weight: [1, 1, C, K] or [C, K]} -> y [..., K], a
 *   stride-1 1x1 convolution; `SupernasPointwiseConvGrad`: {dy, x, weight} -> [dx, dWeight].
 * - `SupernasChannelGateGrad`: {dy, x: [N, H, W, C]} -> dGate [N, C], the sum over H and W of
 *   dy * x: the gate's gradient of a squeeze-excite block's y = x * gate[n, c].
 * - `SupernasChannelGateInputGrad`: {dy: [N, H, W, C], gate: [N, C], dPooled: [N, C]} -> dx =
 *   dy * gate[n, c] + dPooled[n, c] / (H * W): x's gradient through the gate and through the
 *   global average pool that feeds it, in one pass.
 * A package that must not depend on this one can test `tf.getKernel(name, tf.getBackend())`
 * and run them through `tf.engine().runKernel`, as `batchNormTraining` and `swish` do.
 */
export const fusedKernelNames = {
  batchNormTraining: 'SupernasBatchNormTraining',
  batchNormTrainingGrad: 'SupernasBatchNormTrainingGrad',
  swish: 'SupernasSwish',
  swishGrad: 'SupernasSwishGrad',
  batchNormSwishTraining: 'SupernasBatchNormSwishTraining',
  batchNormSwishTrainingGrad: 'SupernasBatchNormSwishTrainingGrad',
  sgdStep: 'SupernasSgdStep',
  pointwiseConv: 'SupernasPointwiseConv',
  pointwiseConvGrad: 'SupernasPointwiseConvGrad',
  channelGateGrad: 'SupernasChannelGateGrad',
  channelGateInputGrad: 'SupernasChannelGateInputGrad',
} as const;

/**
 * Thrown by a fused kernel given inputs it cannot take. The fused ops never pass such inputs, so
 * this is a bug (a caller running the kernel by hand), not bad user input; it is still a
 * `SupernasError` for its stable code, `fused_kernel_input`.
 */
export class FusedKernelInputError extends SupernasError {
  override readonly name = 'FusedKernelInputError';
  constructor(
    readonly kernelName: string,
    readonly shapes: readonly (readonly number[])[],
  ) {
    super(
      `${kernelName}: expected float32 inputs, channels last, with [C] per-channel tensors; got shapes ${formatValue(shapes)}`,
      { code: 'fused_kernel_input' },
    );
  }
}

const swish: NativeKernel = {
  kernelName: fusedKernelNames.swish,
  run: ({ inputs, backend, addon }) => {
    const { x } = inputs;
    if (x === undefined) return undefined;
    const values = floatValues(backend, x);
    if (values === undefined) throw new FusedKernelInputError(fusedKernelNames.swish, [x.shape]);
    const y = backend.allocate(values.length);
    addon.unary('swish', values, y, 0);
    return backend.makeTensorInfo([...x.shape], 'float32', y);
  },
};

const swishGrad: NativeKernel = {
  kernelName: fusedKernelNames.swishGrad,
  run: ({ inputs, backend, addon }) => {
    const { dy, x } = inputs;
    if (dy === undefined || x === undefined) return undefined;
    const dyValues = floatValues(backend, dy);
    const xValues = floatValues(backend, x);
    if (!dyValues || !xValues || dyValues.length !== xValues.length) {
      throw new FusedKernelInputError(fusedKernelNames.swishGrad, [dy.shape, x.shape]);
    }
    const dx = backend.allocate(xValues.length);
    addon.swishGrad(dyValues, xValues, dx);
    return backend.makeTensorInfo([...x.shape], 'float32', dx);
  },
};

/**
 * Kernels with no cpu counterpart: the fused training ops use them on the native backend. The
 * batch norm ones are in mbconv-train-kernels.ts.
 */
export const fusedKernels: readonly NativeKernel[] = [swish, swishGrad];
