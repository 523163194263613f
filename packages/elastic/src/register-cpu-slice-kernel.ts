import * as tf from '@tensorflow/tfjs-core';

type NumericArray = Float32Array | Int32Array | Uint8Array;
interface CpuLikeBackend {
  readSync(dataId: tf.DataId): unknown;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: NumericArray): tf.TensorInfo;
}

let replaced: tf.KernelConfig | undefined;

/** Copies the `size` block at `begin` of `values` (shape `shape`) row by row along the last axis. */
export function sliceRows(
  values: NumericArray,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
): NumericArray {
  const rank = shape.length;
  const strides = new Array<number>(rank).fill(1);
  for (let axis = rank - 2; axis >= 0; axis--) {
    strides[axis] = (strides[axis + 1] as number) * (shape[axis + 1] as number);
  }
  const rowLength = size[rank - 1] as number;
  const total = size.reduce((a, b) => a * b, 1);
  const out = new (values.constructor as new (length: number) => NumericArray)(total);
  if (total === 0) return out;
  const index = new Array<number>(rank - 1).fill(0);
  for (let offset = 0; offset < total; offset += rowLength) {
    let source = begin[rank - 1] as number;
    for (let axis = 0; axis < rank - 1; axis++) {
      source += ((begin[axis] as number) + (index[axis] as number)) * (strides[axis] as number);
    }
    out.set(values.subarray(source, source + rowLength), offset);
    for (let axis = rank - 2; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      if ((index[axis] as number) < (size[axis] as number)) break;
      index[axis] = 0;
    }
  }
  return out;
}

/**
 * Replaces the cpu backend's Slice kernel with one that copies whole rows. tfjs-backend-cpu
 * slices anything but a leading block element by element through `TensorBuffer.get` (measured
 * ~2.5 us per element here: slicing the largest head weight took 5 s), and weight sharing slices
 * every weight on every pass. Opt in (apps on the cpu backend, tests); idempotent. Returns false
 * when the cpu backend is not loaded. Other backends (wasm, webgpu, webgl, node) slice fast
 * already.
 */
export function registerCpuSliceKernel(): boolean {
  if (replaced !== undefined) return true;
  let original: tf.KernelConfig | undefined;
  try {
    original = tf.getKernel('Slice', 'cpu');
  } catch {
    original = undefined;
  }
  if (original === undefined) return false;
  const fallback = original;
  const kernelFunc: tf.KernelFunc = (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { begin, size } = args.attrs as unknown as {
      begin: number | number[];
      size: number | number[];
    };
    if (x.dtype === 'string' || x.dtype === 'complex64' || x.shape.length === 0)
      return fallback.kernelFunc(args);
    const [fullBegin, fullSize] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size) as [
      number[],
      number[],
    ];
    const backend = args.backend as unknown as CpuLikeBackend;
    const values = backend.readSync(x.dataId) as NumericArray;
    return backend.makeTensorInfo(
      fullSize,
      x.dtype,
      sliceRows(values, x.shape, fullBegin, fullSize),
    );
  };
  tf.unregisterKernel('Slice', 'cpu');
  tf.registerKernel({ kernelName: 'Slice', backendName: 'cpu', kernelFunc });
  replaced = original;
  return true;
}
