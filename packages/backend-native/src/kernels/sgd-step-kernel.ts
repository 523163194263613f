import { FusedKernelInputError, fusedKernelNames } from './fused-kernels.js';
import { floatValues, type NativeKernel } from './native-kernel.js';

/**
 * `SupernasSgdStep`: {parameter, gradient, buffer}, attrs {learningRate, momentum, weightDecay,
 * nesterov} -> [nextParameter, nextBuffer], PyTorch's SGD as `@supernas/trainer`'s `Sgd` composes
 * it (weightDecay 0: no decay), in one pass (native/sgd-step.cc) with the composed ops' results.
 */
export const sgdStepKernel: NativeKernel = {
  kernelName: fusedKernelNames.sgdStep,
  run: ({ inputs, backend, attrs, addon }) => {
    const { parameter, gradient, buffer } = inputs;
    if (parameter === undefined || gradient === undefined || buffer === undefined) return undefined;
    const [parameterValues, gradientValues, bufferValues] = [parameter, gradient, buffer].map(
      (tensor) => floatValues(backend, tensor),
    );
    if (
      !parameterValues ||
      !gradientValues ||
      !bufferValues ||
      gradientValues.length !== parameterValues.length ||
      bufferValues.length !== parameterValues.length
    ) {
      throw new FusedKernelInputError(fusedKernelNames.sgdStep, [
        parameter.shape,
        gradient.shape,
        buffer.shape,
      ]);
    }
    const nextParameter = backend.allocate(parameterValues.length);
    const nextBuffer = backend.allocate(parameterValues.length);
    addon.sgdStep(
      parameterValues,
      gradientValues,
      bufferValues,
      Number(attrs.learningRate),
      Number(attrs.momentum),
      Number(attrs.weightDecay),
      Boolean(attrs.nesterov),
      nextParameter,
      nextBuffer,
    );
    return [
      backend.makeTensorInfo([...parameter.shape], 'float32', nextParameter),
      backend.makeTensorInfo([...parameter.shape], 'float32', nextBuffer),
    ];
  },
};
