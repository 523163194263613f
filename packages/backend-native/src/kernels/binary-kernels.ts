import {
  Add,
  AddN,
  broadcast_util,
  Equal,
  Greater,
  GreaterEqual,
  Less,
  LessEqual,
  Maximum,
  Minimum,
  Multiply,
  NotEqual,
  RealDiv,
  SquaredDifference,
  Sub,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { floatValues, type NativeKernel, sizeOfShape } from './native-kernel.js';

const arithmetic: ReadonlyArray<readonly [string, string]> = [
  [Add, 'add'],
  [Sub, 'sub'],
  [Multiply, 'mul'],
  [RealDiv, 'div'],
  [SquaredDifference, 'squaredDifference'],
  [Maximum, 'maximum'],
  [Minimum, 'minimum'],
];

const comparisons: ReadonlyArray<readonly [string, string]> = [
  [Greater, 'greater'],
  [GreaterEqual, 'greaterEqual'],
  [Less, 'less'],
  [LessEqual, 'lessEqual'],
  [Equal, 'equal'],
  [NotEqual, 'notEqual'],
];

function binaryKernel(kernelName: string, op: string, comparison: boolean): NativeKernel {
  return {
    kernelName,
    run: ({ inputs, backend, addon }) => {
      const { a, b } = inputs;
      if (a === undefined || b === undefined) return undefined;
      const aValues = floatValues(backend, a);
      const bValues = floatValues(backend, b);
      if (aValues === undefined || bValues === undefined) return undefined;
      const outShape = broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const size = sizeOfShape(outShape);
      const out = comparison ? new Uint8Array(size) : backend.allocate(size);
      addon.binary(op, aValues, a.shape, bValues, b.shape, out, outShape);
      return backend.makeTensorInfo(outShape, comparison ? 'bool' : 'float32', out);
    },
  };
}

const addN: NativeKernel = {
  kernelName: AddN,
  run: ({ inputs, backend, addon }) => {
    const tensors = Object.values(inputs).filter(
      (tensor): tensor is TensorInfo => tensor !== undefined,
    );
    const first = tensors[0];
    if (first === undefined) return undefined;
    const arrays: Float32Array[] = [];
    for (const tensor of tensors) {
      const values = floatValues(backend, tensor);
      if (values === undefined || values.length !== sizeOfShape(first.shape)) return undefined;
      arrays.push(values);
    }
    const out = backend.allocate(sizeOfShape(first.shape));
    addon.addN(arrays, out);
    return backend.makeTensorInfo([...first.shape], 'float32', out);
  },
};

/** Broadcasting arithmetic and comparisons on float32, and AddN (gradient accumulation). */
export const binaryKernels: readonly NativeKernel[] = [
  ...arithmetic.map(([kernelName, op]) => binaryKernel(kernelName, op, false)),
  ...comparisons.map(([kernelName, op]) => binaryKernel(kernelName, op, true)),
  addN,
];
