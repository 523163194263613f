import {
  backend_util,
  Concat,
  PadV2,
  type PadV2Attrs,
  Slice,
  type SliceAttrs,
  StridedSlice,
  type StridedSliceAttrs,
  slice_util,
  type TensorInfo,
  Tile,
  type TileAttrs,
  Transpose,
  type TransposeAttrs,
  util,
} from '@tensorflow/tfjs-core';
import { floatValues, type NativeKernel, sizeOfShape, stridesOf } from './native-kernel.js';

const transpose: NativeKernel = {
  kernelName: Transpose,
  run: ({ inputs, backend, attrs, addon }) => {
    const { x } = inputs;
    if (x === undefined) return undefined;
    const values = floatValues(backend, x);
    if (values === undefined) return undefined;
    const { perm } = attrs as unknown as TransposeAttrs;
    const xStrides = stridesOf(x.shape);
    const outShape = perm.map((axis) => x.shape[axis] ?? 1);
    const out = backend.allocate(values.length);
    const srcStrides = perm.map((axis) => xStrides[axis] ?? 0);
    addon.stridedCopy(values, out, outShape, srcStrides, 0, stridesOf(outShape), 0);
    return backend.makeTensorInfo(outShape, 'float32', out);
  },
};

const tile: NativeKernel = {
  kernelName: Tile,
  run: ({ inputs, backend, attrs, addon }) => {
    const { x } = inputs;
    if (x === undefined) return undefined;
    const values = floatValues(backend, x);
    if (values === undefined) return undefined;
    const { reps } = attrs as unknown as TileAttrs;
    const outShape = x.shape.map((dim, axis) => dim * (reps[axis] ?? 1));
    if (sizeOfShape(outShape) === 0) return undefined;
    const xStrides = stridesOf(x.shape);
    const outStrides = stridesOf(outShape);
    // Each axis becomes (repeat, element): the repeat axis reads the same source (stride 0).
    const sizes: number[] = [];
    const srcStrides: number[] = [];
    const dstStrides: number[] = [];
    x.shape.forEach((dim, axis) => {
      const outStride = outStrides[axis] ?? 1;
      sizes.push(reps[axis] ?? 1, dim);
      srcStrides.push(0, xStrides[axis] ?? 1);
      dstStrides.push(dim * outStride, outStride);
    });
    const out = backend.allocate(sizeOfShape(outShape));
    addon.stridedCopy(values, out, sizes, srcStrides, 0, dstStrides, 0);
    return backend.makeTensorInfo(outShape, 'float32', out);
  },
};

function copyWindow(
  { backend, addon }: Pick<Parameters<NativeKernel['run']>[0], 'backend' | 'addon'>,
  values: Float32Array,
  xShape: readonly number[],
  begin: readonly number[],
  steps: readonly number[],
  sizes: readonly number[],
  outShape: readonly number[],
): TensorInfo {
  const xStrides = stridesOf(xShape);
  let offset = 0;
  begin.forEach((start, axis) => {
    offset += start * (xStrides[axis] ?? 0);
  });
  const srcStrides = xStrides.map((stride, axis) => stride * (steps[axis] ?? 1));
  const out = backend.allocate(sizeOfShape(sizes));
  addon.stridedCopy(values, out, sizes, srcStrides, offset, stridesOf(sizes), 0);
  return backend.makeTensorInfo([...outShape], 'float32', out);
}

const slice: NativeKernel = {
  kernelName: Slice,
  run: ({ inputs, backend, attrs, addon }) => {
    const { x } = inputs;
    if (x === undefined) return undefined;
    const values = floatValues(backend, x);
    if (values === undefined) return undefined;
    const { begin, size } = attrs as unknown as SliceAttrs;
    const [sliceBegin, sliceSize] = slice_util.parseSliceParams(x, begin, size);
    if (sliceBegin === undefined || sliceSize === undefined || sizeOfShape(sliceSize) === 0) {
      return undefined;
    }
    // A contiguous slice is a zero-copy view in the cpu kernel.
    if (slice_util.isSliceContinous(x.shape, sliceBegin, sliceSize)) return undefined;
    const steps = sliceBegin.map(() => 1);
    return copyWindow({ backend, addon }, values, x.shape, sliceBegin, steps, sliceSize, sliceSize);
  },
};

const stridedSlice: NativeKernel = {
  kernelName: StridedSlice,
  run: ({ inputs, backend, attrs, addon }) => {
    const { x } = inputs;
    if (x === undefined) return undefined;
    const values = floatValues(backend, x);
    if (values === undefined) return undefined;
    const { begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask } =
      attrs as unknown as StridedSliceAttrs;
    const info = slice_util.sliceInfo(
      x.shape,
      begin,
      end,
      strides,
      beginMask,
      endMask,
      ellipsisMask,
      newAxisMask,
      shrinkAxisMask,
    );
    if (info.isIdentity || info.begin.length !== x.shape.length) return undefined;
    // One size per input axis (shrunk axes have size 1); the result is reshaped to finalShape.
    const sizes = slice_util.computeOutShape(info.begin, info.end, info.strides);
    const size = sizeOfShape(sizes);
    if (size === 0 || size !== sizeOfShape(info.finalShape)) return undefined;
    return copyWindow(
      { backend, addon },
      values,
      x.shape,
      info.begin,
      info.strides,
      sizes,
      info.finalShape,
    );
  },
};

const pad: NativeKernel = {
  kernelName: PadV2,
  run: ({ inputs, backend, attrs, addon }) => {
    const { x } = inputs;
    if (x === undefined) return undefined;
    const values = floatValues(backend, x);
    if (values === undefined) return undefined;
    const { paddings, constantValue } = attrs as unknown as PadV2Attrs;
    const outShape = x.shape.map((dim, axis) => {
      const [before = 0, after = 0] = paddings[axis] ?? [];
      return before + dim + after;
    });
    const outStrides = stridesOf(outShape);
    let offset = 0;
    paddings.forEach(([before = 0], axis) => {
      offset += before * (outStrides[axis] ?? 0);
    });
    const out = backend.allocate(sizeOfShape(outShape));
    out.fill(constantValue);
    addon.stridedCopy(values, out, x.shape, stridesOf(x.shape), 0, outStrides, offset);
    return backend.makeTensorInfo(outShape, 'float32', out);
  },
};

const concat: NativeKernel = {
  kernelName: Concat,
  run: ({ inputs, backend, attrs, addon }) => {
    const tensors = Object.values(inputs).filter(
      (tensor): tensor is TensorInfo => tensor !== undefined,
    );
    const first = tensors[0];
    if (first === undefined) return undefined;
    const axis = util.parseAxisParam(attrs.axis as number, first.shape)[0] ?? 0;
    // Checked before any fallback, so mismatched shapes throw whatever their sizes.
    backend_util.assertParamsConsistent(
      tensors.map((tensor) => tensor.shape),
      axis,
    );
    const outShape = backend_util.computeOutShape(
      tensors.map((tensor) => tensor.shape),
      axis,
    );
    const out = backend.allocate(sizeOfShape(outShape));
    if (out.length === 0) return undefined;
    const outStrides = stridesOf(outShape);
    const sources: [Float32Array, TensorInfo][] = [];
    for (const tensor of tensors) {
      if (sizeOfShape(tensor.shape) === 0) continue;
      const values = floatValues(backend, tensor);
      if (values === undefined) return undefined;
      sources.push([values, tensor]);
    }
    let position = 0;
    for (const [values, tensor] of sources) {
      const offset = position * (outStrides[axis] ?? 0);
      addon.stridedCopy(values, out, tensor.shape, stridesOf(tensor.shape), 0, outStrides, offset);
      position += tensor.shape[axis] ?? 0;
    }
    return backend.makeTensorInfo(outShape, 'float32', out);
  },
};

/** Copies: Transpose, Tile, Slice, StridedSlice, PadV2 and Concat, through one strided copy. */
export const layoutKernels: readonly NativeKernel[] = [
  transpose,
  tile,
  slice,
  stridedSlice,
  pad,
  concat,
];
