import type * as tf from '@tensorflow/tfjs-core';
import type { KernelArguments, WasmHeapBackend } from './wasm-heap.js';

type Comparison = (left: number, right: number) => boolean;

/** The comparisons this package speeds up, by kernel name. */
export const comparisons: Record<string, Comparison> = {
  Less: (left, right) => left < right,
  LessEqual: (left, right) => left <= right,
  Greater: (left, right) => left > right,
  GreaterEqual: (left, right) => left >= right,
  Equal: (left, right) => left === right,
  NotEqual: (left, right) => left !== right,
};

/**
 * A comparison kernel for wasm as one loop over the heap, for the shapes activation gradients
 * use: equal shapes, or one side a single element (relu6's `x <= 6`). wasm's built-in
 * comparisons are an order of magnitude slower than its arithmetic there. Other broadcasts and
 * mixed or string dtypes go to the built-in kernel.
 */
export function createCompare(builtin: tf.KernelFunc, compare: Comparison): tf.KernelFunc {
  return (args: KernelArguments) => {
    const { a, b } = args.inputs as tf.BinaryInputs;
    const backend = args.backend as WasmHeapBackend;
    const sameShape =
      a!.shape.length === b!.shape.length &&
      a!.shape.every((size, axis) => size === b!.shape[axis]);
    const rightIsScalar = elementCount(b!.shape) === 1 && a!.shape.length >= b!.shape.length;
    const leftIsScalar = elementCount(a!.shape) === 1 && b!.shape.length >= a!.shape.length;
    const dtypeIsNumeric = a!.dtype === 'float32' || a!.dtype === 'int32' || a!.dtype === 'bool';
    if (a!.dtype !== b!.dtype || !dtypeIsNumeric || !(sameShape || rightIsScalar || leftIsScalar)) {
      return builtin(args);
    }
    const out = backend.makeOutput([...(sameShape || rightIsScalar ? a!.shape : b!.shape)], 'bool');
    // Views are taken after makeOutput, which may grow (and so detach) the heap.
    const left = backend.typedArrayFromHeap(a!);
    const right = backend.typedArrayFromHeap(b!);
    const target = backend.typedArrayFromHeap(out);
    if (sameShape) {
      for (let index = 0; index < target.length; index++) {
        target[index] = compare(left[index]!, right[index]!) ? 1 : 0;
      }
    } else if (rightIsScalar) {
      const value = right[0]!;
      for (let index = 0; index < target.length; index++) {
        target[index] = compare(left[index]!, value) ? 1 : 0;
      }
    } else {
      const value = left[0]!;
      for (let index = 0; index < target.length; index++) {
        target[index] = compare(value, right[index]!) ? 1 : 0;
      }
    }
    return out;
  };
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, dimension) => product * dimension, 1);
}
