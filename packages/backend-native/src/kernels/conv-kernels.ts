import {
  backend_util,
  Conv2D,
  type Conv2DAttrs,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  DepthwiseConv2dNative,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  FusedConv2D,
  type FusedConv2DAttrs,
  FusedDepthwiseConv2D,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { activationCode } from './activation.js';
import { convDims } from './conv-dims.js';
import {
  floatValues,
  type NativeKernel,
  type NativeKernelArgs,
  sizeOfShape,
} from './native-kernel.js';

type Shape4D = [number, number, number, number];

function dataFormatOf(dataFormat: 'NHWC' | 'NCHW' | undefined): 'channelsLast' | 'channelsFirst' {
  return backend_util.convertConv2DDataFormat(dataFormat ?? 'NHWC');
}

/**
 * The dilations attribute as tfjs' cpu kernels read it: null or missing means 1 (tfjs' own
 * specs pass null), and the depthwise kernels reject strides and dilations both above 1.
 */
function dilationsOf(
  attrs: NativeKernelArgs['attrs'],
  depthwise: boolean,
): [number, number] | number {
  const { dilations, strides } = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  const resolved = dilations ?? 1;
  if (depthwise) {
    util.assert(
      backend_util.eitherStridesOrDilationsAreOne(strides, resolved),
      () =>
        `Error in depthwiseConv2d: Either strides or dilations must be 1. Got strides ${strides} and dilations '${resolved}'`,
    );
  }
  return resolved;
}

function forward(
  { inputs, backend, attrs, addon }: NativeKernelArgs,
  depthwise: boolean,
  fused: boolean,
): TensorInfo | undefined {
  const { x, filter, bias, preluActivationWeights } = inputs;
  if (x === undefined || filter === undefined || preluActivationWeights !== undefined) {
    return undefined;
  }
  const { strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as Conv2DAttrs;
  const dilations = dilationsOf(attrs, depthwise);
  const activation = fused ? activationCode((attrs as unknown as FusedConv2DAttrs).activation) : 0;
  if (activation === undefined) return undefined;
  // The cpu kernel turns a missing leakyrelu alpha into NaN; leave that case to it.
  if (fused && activation === 4 && attrs.leakyreluAlpha == null) return undefined;
  const xValues = floatValues(backend, x);
  const filterValues = floatValues(backend, filter);
  if (xValues === undefined || filterValues === undefined) return undefined;
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4D,
    filter.shape as Shape4D,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    depthwise,
    dataFormatOf(dataFormat),
  );
  const dims = convDims(info, depthwise);
  if (dims === undefined) return undefined;
  let biasValues: Float32Array | null = null;
  if (bias !== undefined) {
    const values = floatValues(backend, bias);
    if (values === undefined) return undefined;
    // Per-channel bias only ([C] or [1, ..., C]); other broadcasts go to the cpu kernel.
    const channelBias =
      values.length === info.outChannels && bias.shape.slice(0, -1).every((dim) => dim === 1);
    if (channelBias) biasValues = values;
    else if (values.length === 1)
      biasValues = new Float32Array(info.outChannels).fill(values[0] ?? 0);
    else return undefined;
  }
  const alpha =
    activation === 4 ? Number((attrs as unknown as FusedConv2DAttrs).leakyreluAlpha) : 0;
  const out = backend.allocate(sizeOfShape(info.outShape));
  addon.convForward(xValues, filterValues, biasValues, out, dims, activation, alpha);
  return backend.makeTensorInfo(info.outShape, 'float32', out);
}

/**
 * The geometry of a backward pass from its attributes, which both backprop kernels name alike
 * (dilations exist only on the depthwise ones, data formats only on the regular ones); undefined
 * when the native kernel cannot take it or `dy` does not have the forward output's size.
 */
function backwardDims(
  attrs: NativeKernelArgs['attrs'],
  inputShape: Shape4D,
  filterShape: Shape4D,
  depthwise: boolean,
  dyLength: number,
): ReturnType<typeof convDims> {
  const { strides, pad, dimRoundingMode, dataFormat } =
    attrs as unknown as Conv2DBackpropInputAttrs;
  const dilations = depthwise ? dilationsOf(attrs, true) : 1;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    depthwise,
    dataFormatOf(depthwise ? 'NHWC' : dataFormat),
  );
  const dims = convDims(info, depthwise);
  return dims === undefined || sizeOfShape(info.outShape) !== dyLength ? undefined : dims;
}

function backwardInput(
  { inputs, backend, attrs, addon }: NativeKernelArgs,
  depthwise: boolean,
): TensorInfo | undefined {
  const { dy, filter } = inputs;
  if (dy === undefined || filter === undefined) return undefined;
  const { inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  const dyValues = floatValues(backend, dy);
  const filterValues = floatValues(backend, filter);
  if (dyValues === undefined || filterValues === undefined) return undefined;
  const dims = backwardDims(attrs, inputShape, filter.shape as Shape4D, depthwise, dyValues.length);
  if (dims === undefined) return undefined;
  const dx = backend.allocate(sizeOfShape(inputShape));
  addon.convBackwardData(dyValues, filterValues, dx, dims);
  return backend.makeTensorInfo([...inputShape], 'float32', dx);
}

const ownDepthwiseByDims = new Map<string, boolean>();

/**
 * Whether a depthwise weight gradient runs native/mbconv-train.cc's loop rather than oneDNN:
 * where oneDNN 2.6 has no dedicated depthwise implementation for it (5x5 and 7x7 kernels get its
 * generic `jit`, 3-4x slower than the loop at MBConv shapes); its `jit_dw` is as fast or faster.
 * The loop takes multiplier 1 without dilation (dims: [3] in and [6] out channels, [11], [12]
 * dilations, as native/conv.cc reads them).
 */
function ownDepthwiseWeightGradient(addon: NativeKernelArgs['addon'], dims: number[]): boolean {
  if (dims[6] !== dims[3] || dims[11] !== 1 || dims[12] !== 1) return false;
  const key = dims.join(',');
  let own = ownDepthwiseByDims.get(key);
  if (own === undefined) {
    own = !addon.convImplementation('backwardWeights', dims).startsWith('jit_dw');
    if (ownDepthwiseByDims.size > 1024) ownDepthwiseByDims.clear();
    ownDepthwiseByDims.set(key, own);
  }
  return own;
}

function backwardFilter(
  { inputs, backend, attrs, addon }: NativeKernelArgs,
  depthwise: boolean,
): TensorInfo | undefined {
  const { x, dy } = inputs;
  if (x === undefined || dy === undefined) return undefined;
  const { filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const xValues = floatValues(backend, x);
  const dyValues = floatValues(backend, dy);
  if (xValues === undefined || dyValues === undefined) return undefined;
  const dims = backwardDims(attrs, x.shape as Shape4D, filterShape, depthwise, dyValues.length);
  if (dims === undefined) return undefined;
  const dFilter = backend.allocate(sizeOfShape(filterShape));
  if (depthwise && ownDepthwiseWeightGradient(addon, dims)) {
    addon.depthwiseBackwardWeights(xValues, dyValues, dFilter, dims);
  } else {
    addon.convBackwardWeights(xValues, dyValues, dFilter, dims);
  }
  return backend.makeTensorInfo([...filterShape], 'float32', dFilter);
}

/** Regular and depthwise convolutions, forward (plain and fused) and both backward passes. */
export const convKernels: readonly NativeKernel[] = [
  { kernelName: Conv2D, run: (args) => forward(args, false, false) },
  { kernelName: FusedConv2D, run: (args) => forward(args, false, true) },
  { kernelName: DepthwiseConv2dNative, run: (args) => forward(args, true, false) },
  { kernelName: FusedDepthwiseConv2D, run: (args) => forward(args, true, true) },
  { kernelName: Conv2DBackpropInput, run: (args) => backwardInput(args, false) },
  { kernelName: DepthwiseConv2dNativeBackpropInput, run: (args) => backwardInput(args, true) },
  { kernelName: Conv2DBackpropFilter, run: (args) => backwardFilter(args, false) },
  { kernelName: DepthwiseConv2dNativeBackpropFilter, run: (args) => backwardFilter(args, true) },
];
