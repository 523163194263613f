import { FusedKernelInputError, fusedKernelNames } from './fused-kernels.js';
import {
  channelsOf,
  floatValues,
  type NativeKernel,
  type NativeKernelArgs,
} from './native-kernel.js';

// Batch norm with batch statistics, alone or fused with the swish after it, as an elastic MBConv
// block runs its layers (native/mbconv-train.cc); the names are in fused-kernels.ts.

/** Codes of native/mbconv-train.cc. */
const activationCodes = { linear: 0, swish: 1 } as const;
type FusedActivation = keyof typeof activationCodes;

/** The forward kernel for `activation`; `kernelName` is the one its errors name. */
export function batchNormActivationKernel(
  kernelName: string,
  activation: FusedActivation,
): NativeKernel {
  return {
    kernelName,
    run: ({ inputs, backend, attrs, addon }: NativeKernelArgs) => {
      const { x, gamma, beta } = inputs;
      if (x === undefined || gamma === undefined || beta === undefined) return undefined;
      const channels = channelsOf(x.shape);
      const [xValues, gammaValues, betaValues] = [x, gamma, beta].map((tensor) =>
        floatValues(backend, tensor),
      );
      if (
        !xValues ||
        !gammaValues ||
        !betaValues ||
        gammaValues.length !== channels ||
        betaValues.length !== channels
      ) {
        throw new FusedKernelInputError(kernelName, [x.shape, gamma.shape, beta.shape]);
      }
      const y = backend.allocate(xValues.length);
      const mean = backend.allocate(channels);
      const inverseStd = backend.allocate(channels);
      addon.batchNormActivationTraining(
        xValues,
        channels,
        gammaValues,
        betaValues,
        Number(attrs.epsilon),
        activationCodes[activation],
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
}

/** The gradient kernel for `activation`; `beta` is an input only with an activation. */
export function batchNormActivationGradKernel(
  kernelName: string,
  activation: FusedActivation,
): NativeKernel {
  return {
    kernelName,
    run: ({ inputs, backend, addon }: NativeKernelArgs) => {
      const { dy, x, mean, inverseStd, gamma, beta } = inputs;
      if (!dy || !x || !mean || !inverseStd || !gamma) return undefined;
      const channels = channelsOf(x.shape);
      const [dyValues, xValues, meanValues, inverseStdValues, gammaValues] = [
        dy,
        x,
        mean,
        inverseStd,
        gamma,
      ].map((tensor) => floatValues(backend, tensor));
      const betaValues = beta === undefined ? null : (floatValues(backend, beta) ?? null);
      if (
        !dyValues ||
        !xValues ||
        !meanValues ||
        !inverseStdValues ||
        !gammaValues ||
        dyValues.length !== xValues.length ||
        [meanValues, inverseStdValues, gammaValues].some((array) => array.length !== channels) ||
        (activation !== 'linear' && betaValues?.length !== channels)
      ) {
        throw new FusedKernelInputError(kernelName, [dy.shape, x.shape, mean.shape]);
      }
      const dx = backend.allocate(xValues.length);
      const dGamma = backend.allocate(channels);
      const dBeta = backend.allocate(channels);
      addon.batchNormActivationTrainingGrad(
        dyValues,
        xValues,
        channels,
        meanValues,
        inverseStdValues,
        gammaValues,
        activation === 'linear' ? null : betaValues,
        activationCodes[activation],
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
}

/** Kernels with no cpu counterpart, registered on the native backend with the fused ones. */
export const mbconvTrainKernels: readonly NativeKernel[] = [
  // Batch norm alone (the project layer): one pass for the statistics.
  batchNormActivationKernel(fusedKernelNames.batchNormTraining, 'linear'),
  batchNormActivationGradKernel(fusedKernelNames.batchNormTrainingGrad, 'linear'),
  batchNormActivationKernel(fusedKernelNames.batchNormSwishTraining, 'swish'),
  batchNormActivationGradKernel(fusedKernelNames.batchNormSwishTrainingGrad, 'swish'),
];
