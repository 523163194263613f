import { formatValue, SupernasError } from '@supernas/errors';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { floatValues, type NativeKernel } from './native-kernel.js';

/**
 * Names of the fused training kernels, registered on the `native` backend only. Inputs and
 * outputs (all float32, channels last, per-channel tensors of shape [C]):
 * - `SupernasBatchNormTraining`: {x, gamma, beta}, attrs {epsilon} -> [y, mean, inverseStd]
 * - `SupernasBatchNormTrainingGrad`: {dy, x, mean, inverseStd, gamma} -> [dx, dGamma, dBeta]
 * - `SupernasSwish`: {x} -> y = x * sigmoid(x)
 * - `SupernasSwishGrad`: {dy, x} -> dy * d(x * sigmoid(x))/dx
 * A package that must not depend on this one can test `tf.getKernel(name, tf.getBackend())`
 * and run them through `tf.engine().runKernel`, as `batchNormTraining` and `swish` do.
 */
export const fusedKernelNames = {
  batchNormTraining: 'SupernasBatchNormTraining',
  batchNormTrainingGrad: 'SupernasBatchNormTrainingGrad',
  swish: 'SupernasSwish',
  swishGrad: 'SupernasSwishGrad',
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

function channelsOf(x: TensorInfo): number {
  return x.shape[x.shape.length - 1] ?? 0;
}

const batchNormTraining: NativeKernel = {
  kernelName: fusedKernelNames.batchNormTraining,
  run: ({ inputs, backend, attrs, addon }) => {
    const { x, gamma, beta } = inputs;
    if (x === undefined || gamma === undefined || beta === undefined) return undefined;
    const channels = channelsOf(x);
    const [xValues, gammaValues, betaValues] = [x, gamma, beta].map((t) => floatValues(backend, t));
    if (
      !xValues ||
      !gammaValues ||
      !betaValues ||
      gammaValues.length !== channels ||
      betaValues.length !== channels
    ) {
      throw new FusedKernelInputError(fusedKernelNames.batchNormTraining, [
        x.shape,
        gamma.shape,
        beta.shape,
      ]);
    }
    const y = backend.allocate(xValues.length);
    const mean = backend.allocate(channels);
    const inverseStd = backend.allocate(channels);
    addon.batchNormTraining(
      xValues,
      channels,
      gammaValues,
      betaValues,
      Number(attrs.epsilon),
      y,
      mean,
      inverseStd,
    );
    return [
      backend.makeTensorInfo([...x.shape], 'float32', y),
      backend.makeTensorInfo([channels], 'float32', mean),
      backend.makeTensorInfo([channels], 'float32', inverseStd),
    ];
  },
};

const batchNormTrainingGrad: NativeKernel = {
  kernelName: fusedKernelNames.batchNormTrainingGrad,
  run: ({ inputs, backend, addon }) => {
    const { dy, x, mean, inverseStd, gamma } = inputs;
    if (!dy || !x || !mean || !inverseStd || !gamma) return undefined;
    const channels = channelsOf(x);
    const values = [dy, x, mean, inverseStd, gamma].map((t) => floatValues(backend, t));
    const [dyValues, xValues, meanValues, inverseStdValues, gammaValues] = values;
    if (
      !dyValues ||
      !xValues ||
      !meanValues ||
      !inverseStdValues ||
      !gammaValues ||
      dyValues.length !== xValues.length ||
      [meanValues, inverseStdValues, gammaValues].some((array) => array.length !== channels)
    ) {
      throw new FusedKernelInputError(fusedKernelNames.batchNormTrainingGrad, [
        dy.shape,
        x.shape,
        mean.shape,
      ]);
    }
    const dx = backend.allocate(xValues.length);
    const dGamma = backend.allocate(channels);
    const dBeta = backend.allocate(channels);
    addon.batchNormTrainingGrad(
      dyValues,
      xValues,
      channels,
      meanValues,
      inverseStdValues,
      gammaValues,
      dx,
      dGamma,
      dBeta,
    );
    return [
      backend.makeTensorInfo([...x.shape], 'float32', dx),
      backend.makeTensorInfo([channels], 'float32', dGamma),
      backend.makeTensorInfo([channels], 'float32', dBeta),
    ];
  },
};

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

/** Kernels with no cpu counterpart: the fused training ops use them on the native backend. */
export const fusedKernels: readonly NativeKernel[] = [
  batchNormTraining,
  batchNormTrainingGrad,
  swish,
  swishGrad,
];
