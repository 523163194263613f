import {
  AvgPool,
  type AvgPoolAttrs,
  AvgPoolGrad,
  type AvgPoolGradAttrs,
  backend_util,
  MaxPool,
  type MaxPoolAttrs,
} from '@tensorflow/tfjs-core';
import { floatValues, type NativeKernel, sizeOfShape } from './native-kernel.js';

type Shape4D = [number, number, number, number];

/**
 * The 14 integers native/pool.cc reads. oneDNN needs the bottom/right padding that reproduces
 * tfjs' output size exactly, and padding smaller than the window; otherwise undefined.
 */
function poolDims(info: backend_util.Conv2DInfo): number[] | undefined {
  if (info.dataFormat !== 'channelsLast' || info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    return undefined;
  }
  const { top, left } = info.padInfo;
  let { bottom, right } = info.padInfo;
  const fits = (inSize: number, before: number, after: number, filter: number, stride: number) =>
    Math.floor((inSize + before + after - filter) / stride) + 1;
  if (fits(info.inHeight, top, bottom, info.filterHeight, info.strideHeight) !== info.outHeight) {
    bottom = (info.outHeight - 1) * info.strideHeight + info.filterHeight - info.inHeight - top;
  }
  if (fits(info.inWidth, left, right, info.filterWidth, info.strideWidth) !== info.outWidth) {
    right = (info.outWidth - 1) * info.strideWidth + info.filterWidth - info.inWidth - left;
  }
  const pads = [top, left, bottom, right];
  if (pads.some((padding) => padding < 0)) return undefined;
  if (top >= info.filterHeight || bottom >= info.filterHeight) return undefined;
  if (left >= info.filterWidth || right >= info.filterWidth) return undefined;
  if (info.batchSize <= 0 || info.outHeight <= 0 || info.outWidth <= 0) return undefined;
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    ...pads,
  ];
}

function poolForward(kernelName: string, kind: 'avgForward' | 'maxForward'): NativeKernel {
  return {
    kernelName,
    run: ({ inputs, backend, attrs, addon }) => {
      const { x } = inputs;
      if (x === undefined) return undefined;
      const values = floatValues(backend, x);
      if (values === undefined) return undefined;
      const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as AvgPoolAttrs &
        MaxPoolAttrs;
      const info = backend_util.computePool2DInfo(
        x.shape as Shape4D,
        filterSize,
        strides,
        1,
        pad,
        dimRoundingMode,
      );
      const dims = poolDims(info);
      if (dims === undefined) return undefined;
      const out = backend.allocate(sizeOfShape(info.outShape));
      addon.pool(kind, values, out, dims);
      return backend.makeTensorInfo(info.outShape, 'float32', out);
    },
  };
}

const avgPoolGrad: NativeKernel = {
  kernelName: AvgPoolGrad,
  run: ({ inputs, backend, attrs, addon }) => {
    const { dy, input } = inputs;
    if (dy === undefined || input === undefined) return undefined;
    const dyValues = floatValues(backend, dy);
    if (dyValues === undefined) return undefined;
    const { filterSize, strides, pad } = attrs as unknown as AvgPoolGradAttrs;
    const info = backend_util.computePool2DInfo(
      input.shape as Shape4D,
      filterSize,
      strides,
      1,
      pad,
    );
    const dims = poolDims(info);
    if (dims === undefined || sizeOfShape(info.outShape) !== dyValues.length) return undefined;
    const dx = backend.allocate(sizeOfShape(input.shape));
    addon.pool('avgBackward', dyValues, dx, dims);
    return backend.makeTensorInfo([...input.shape], 'float32', dx);
  },
};

/** AvgPool with its gradient, and MaxPool (its gradient stays on the cpu kernel). */
export const poolKernels: readonly NativeKernel[] = [
  poolForward(AvgPool, 'avgForward'),
  poolForward(MaxPool, 'maxForward'),
  avgPoolGrad,
];
