import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from '../native-addon.js';
import type { NativeBackend } from '../native-backend.js';

export interface NativeKernelArgs {
  readonly inputs: NamedTensorInfoMap;
  readonly backend: NativeBackend;
  readonly attrs: NamedAttrMap;
  readonly addon: NativeAddon;
}

/**
 * A tfjs kernel with a native implementation. `run` returns `undefined` for inputs it does not
 * handle (another dtype, NCHW, an empty tensor, a broadcast it has no fast path for), and the
 * cpu backend's own kernel runs instead, so results never depend on which path was taken.
 */
export interface NativeKernel {
  readonly kernelName: string;
  run(args: NativeKernelArgs): TensorInfo | TensorInfo[] | undefined;
}

/** The float32 values of a tensor on the cpu-family backend, or undefined for anything else. */
export function floatValues(backend: NativeBackend, tensor: TensorInfo): Float32Array | undefined {
  if (tensor.dtype !== 'float32') return undefined;
  const values = backend.data.get(tensor.dataId).values;
  return values instanceof Float32Array && values.length > 0 ? values : undefined;
}

/** The last dimension of a channels-last shape (0 for a scalar). */
export function channelsOf(shape: readonly number[]): number {
  return shape[shape.length - 1] ?? 0;
}

export function sizeOfShape(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

/** Row-major element strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let running = 1;
  for (let axis = shape.length - 1; axis >= 0; axis -= 1) {
    strides[axis] = running;
    running *= shape[axis] ?? 1;
  }
  return strides;
}
