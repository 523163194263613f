import {
  Abs,
  Elu,
  Exp,
  LeakyRelu,
  Log,
  Neg,
  Reciprocal,
  Relu,
  Relu6,
  Rsqrt,
  Sigmoid,
  Softplus,
  Sqrt,
  Square,
  Step,
  Tanh,
} from '@tensorflow/tfjs-core';
import { floatValues, type NativeKernel } from './native-kernel.js';

/** tfjs kernel name to the op name native/eltwise.cc knows, and the attribute it reads, if any. */
const unaryOps: ReadonlyArray<readonly [string, string, string?]> = [
  [Abs, 'abs'],
  [Elu, 'elu'],
  [Exp, 'exp'],
  [LeakyRelu, 'leakyrelu', 'alpha'],
  [Log, 'log'],
  [Neg, 'neg'],
  [Reciprocal, 'reciprocal'],
  [Relu, 'relu'],
  [Relu6, 'relu6'],
  [Rsqrt, 'rsqrt'],
  [Sigmoid, 'sigmoid'],
  [Softplus, 'softplus'],
  [Sqrt, 'sqrt'],
  [Square, 'square'],
  [Step, 'step', 'alpha'],
  [Tanh, 'tanh'],
];

/** Element-wise unary ops on float32 through oneDNN's vectorised eltwise primitive. */
export const unaryKernels: readonly NativeKernel[] = unaryOps.map(
  ([kernelName, op, alphaAttribute]): NativeKernel => ({
    kernelName,
    run: ({ inputs, backend, attrs, addon }) => {
      const { x } = inputs;
      if (x === undefined) return undefined;
      const values = floatValues(backend, x);
      if (values === undefined) return undefined;
      const alpha = alphaAttribute === undefined ? 0 : Number(attrs[alphaAttribute] ?? 0);
      const out = backend.allocate(values.length);
      addon.unary(op, values, out, alpha);
      return backend.makeTensorInfo([...x.shape], 'float32', out);
    },
  }),
);
