import type { TensorInfo } from '@tensorflow/tfjs-core';
import { FusedKernelInputError, fusedKernelNames } from './fused-kernels.js';
import {
  channelsOf,
  floatValues,
  type NativeKernel,
  type NativeKernelArgs,
} from './native-kernel.js';

// The backward passes of a squeeze-excite block's channel gate (native/channel-gate.cc); the
// kernel names and their inputs are in fused-kernels.ts.

/** [N, ..., C] as (batch, channels), or undefined for a tensor of rank below 2. */
function batchAndChannels(x: TensorInfo): [number, number] | undefined {
  if (x.shape.length < 2) return undefined;
  return [x.shape[0]!, channelsOf(x.shape)];
}

const channelGateGrad: NativeKernel = {
  kernelName: fusedKernelNames.channelGateGrad,
  run: ({ inputs, backend, addon }: NativeKernelArgs) => {
    const { dy, x } = inputs;
    if (dy === undefined || x === undefined) return undefined;
    const dims = batchAndChannels(x);
    const dyValues = floatValues(backend, dy);
    const xValues = floatValues(backend, x);
    if (!dims || !dyValues || !xValues || dyValues.length !== xValues.length)
      throw new FusedKernelInputError(fusedKernelNames.channelGateGrad, [dy.shape, x.shape]);
    const [batch, channels] = dims;
    const dGate = backend.allocate(batch * channels);
    addon.channelGateGrad(dyValues, xValues, batch, channels, dGate);
    return backend.makeTensorInfo([batch, channels], 'float32', dGate);
  },
};

const channelGateInputGrad: NativeKernel = {
  kernelName: fusedKernelNames.channelGateInputGrad,
  run: ({ inputs, backend, addon }: NativeKernelArgs) => {
    const { dy, gate, dPooled } = inputs;
    if (dy === undefined || gate === undefined || dPooled === undefined) return undefined;
    const dims = batchAndChannels(dy);
    const values = [dy, gate, dPooled].map((tensor) => floatValues(backend, tensor));
    const [dyValues, gateValues, pooledValues] = values;
    if (
      !dims ||
      !dyValues ||
      !gateValues ||
      !pooledValues ||
      gateValues.length !== dims[0] * dims[1] ||
      pooledValues.length !== dims[0] * dims[1]
    )
      throw new FusedKernelInputError(fusedKernelNames.channelGateInputGrad, [
        dy.shape,
        gate.shape,
        dPooled.shape,
      ]);
    const [batch, channels] = dims;
    const area = dyValues.length / (batch * channels);
    const dx = backend.allocate(dyValues.length);
    addon.channelGateInputGrad(dyValues, gateValues, pooledValues, batch, channels, area, dx);
    return backend.makeTensorInfo([...dy.shape], 'float32', dx);
  },
};

/** Registered on the native backend with the other fused kernels. */
export const channelGateKernels: readonly NativeKernel[] = [channelGateGrad, channelGateInputGrad];
