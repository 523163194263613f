import { backend_util, Max, Mean, Min, Prod, Sum, util } from '@tensorflow/tfjs-core';
import { floatValues, type NativeKernel, sizeOfShape } from './native-kernel.js';

type Reduction = 'sum' | 'mean' | 'max' | 'min' | 'prod';

function reduceKernel(kernelName: string, op: Reduction, axisAttribute: string): NativeKernel {
  return {
    kernelName,
    run: ({ inputs, backend, attrs, addon }) => {
      const { x } = inputs;
      if (x === undefined) return undefined;
      const values = floatValues(backend, x);
      if (values === undefined) return undefined;
      const axes = util.parseAxisParam(attrs[axisAttribute] as number | number[], x.shape);
      const [reducedShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
      const outShape = attrs.keepDims
        ? backend_util.expandShapeToKeepDim(reducedShape, axes)
        : reducedShape;
      const out = backend.allocate(sizeOfShape(outShape));
      addon.reduce(op, values, x.shape, axes, out);
      return backend.makeTensorInfo(outShape, 'float32', out);
    },
  };
}

/** Sum, Mean, Max, Min and Prod of float32 over any axes (sums accumulate in double). */
export const reduceKernels: readonly NativeKernel[] = [
  reduceKernel(Sum, 'sum', 'axis'),
  reduceKernel(Mean, 'mean', 'axis'),
  reduceKernel(Max, 'max', 'reductionIndices'),
  reduceKernel(Min, 'min', 'axis'),
  reduceKernel(Prod, 'prod', 'axis'),
];
