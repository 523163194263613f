import { FusedKernelInputError, fusedKernelNames } from './fused-kernels.js';
import { channelsOf, floatValues, type NativeKernel } from './native-kernel.js';

// A stride-1 1x1 convolution on NHWC as one matrix product over [N * H * W, C], forward and
// backward, each one kernel (oneDNN's sgemm through the addon's matmul). Composed from tfjs ops
// it takes three reshapes and a matmul forward and three reshapes and two matmuls backward, and
// the tape clones what the reshapes and the matmul save: about 14 dispatches per layer, 4 here.

/** {x: [..., C], weight: [1, 1, C, K] or [C, K]} -> y [..., K]. */
const pointwiseConv: NativeKernel = {
  kernelName: fusedKernelNames.pointwiseConv,
  run: ({ inputs, backend, addon }) => {
    const { x, weight } = inputs;
    if (x === undefined || weight === undefined) return undefined;
    const xValues = floatValues(backend, x);
    const weightValues = floatValues(backend, weight);
    const inChannels = channelsOf(x.shape);
    const outChannels = channelsOf(weight.shape);
    if (!xValues || !weightValues || weightValues.length !== inChannels * outChannels) {
      throw new FusedKernelInputError(fusedKernelNames.pointwiseConv, [x.shape, weight.shape]);
    }
    const rows = xValues.length / inChannels;
    const y = backend.allocate(rows * outChannels);
    addon.matmul(xValues, weightValues, null, y, [1, 1, rows, outChannels, inChannels, 0, 0], 0, 0);
    return backend.makeTensorInfo([...x.shape.slice(0, -1), outChannels], 'float32', y);
  },
};

/** {dy, x, weight} -> [dx = dy W^T, dWeight = x^T dy] in the shapes of x and weight. */
const pointwiseConvGrad: NativeKernel = {
  kernelName: fusedKernelNames.pointwiseConvGrad,
  run: ({ inputs, backend, addon }) => {
    const { dy, x, weight } = inputs;
    if (dy === undefined || x === undefined || weight === undefined) return undefined;
    const [dyValues, xValues, weightValues] = [dy, x, weight].map((tensor) =>
      floatValues(backend, tensor),
    );
    const inChannels = channelsOf(x.shape);
    const outChannels = channelsOf(weight.shape);
    const rows = (xValues?.length ?? 0) / inChannels;
    if (
      !dyValues ||
      !xValues ||
      !weightValues ||
      weightValues.length !== inChannels * outChannels ||
      dyValues.length !== rows * outChannels
    ) {
      throw new FusedKernelInputError(fusedKernelNames.pointwiseConvGrad, [
        dy.shape,
        x.shape,
        weight.shape,
      ]);
    }
    const dx = backend.allocate(xValues.length);
    const dWeight = backend.allocate(weightValues.length);
    addon.matmul(
      dyValues,
      weightValues,
      null,
      dx,
      [1, 1, rows, inChannels, outChannels, 0, 1],
      0,
      0,
    );
    addon.matmul(
      xValues,
      dyValues,
      null,
      dWeight,
      [1, 1, inChannels, outChannels, rows, 1, 0],
      0,
      0,
    );
    return [
      backend.makeTensorInfo([...x.shape], 'float32', dx),
      backend.makeTensorInfo([...weight.shape], 'float32', dWeight),
    ];
  },
};

export const pointwiseConvKernels: readonly NativeKernel[] = [pointwiseConv, pointwiseConvGrad];
