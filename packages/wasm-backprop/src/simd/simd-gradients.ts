import type * as tf from '@tensorflow/tfjs-core';
import type { ResolvedConvolution } from '../resolve-convolution.js';
import type { WasmHeapBackend } from '../wasm-heap.js';
import type { SimdConvolution } from './simd-convolution.js';

type Shape4 = [number, number, number, number];

/** The sweep's geometry parameters, after the three pointers. */
function geometryParameters(convolution: ResolvedConvolution): number[] {
  const { batchSize, height, width } = convolution;
  return [
    batchSize,
    height.inSize,
    width.inSize,
    height.outSize,
    width.outSize,
    height.filterSize,
    width.filterSize,
    height.stride,
    width.stride,
    height.padBefore,
    width.padBefore,
  ];
}

/** A float32 output in the heap, zeroed, since the kernels accumulate into it. */
function zeroedOutput(backend: WasmHeapBackend, shape: number[]): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  backend.typedArrayFromHeap(out).fill(0);
  return out;
}

/** dFilter of a depthwise conv with channel multiplier 1; `x` and `dy` NHWC float32. */
export function simdDepthwiseFilterGradient(
  kernels: SimdConvolution,
  backend: WasmHeapBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  filterShape: Shape4,
  convolution: ResolvedConvolution,
): tf.TensorInfo {
  const out = zeroedOutput(backend, filterShape);
  const pixelBytes = filterShape[2] * 4;
  kernels.depthwiseFilterGradient(
    backend.getMemoryOffset(x.dataId),
    backend.getMemoryOffset(dy.dataId),
    backend.getMemoryOffset(out.dataId),
    ...geometryParameters(convolution),
    pixelBytes,
    pixelBytes,
    pixelBytes,
  );
  return out;
}

/** dx of a depthwise conv with channel multiplier 1; `dy` NHWC and `filter` float32. */
export function simdDepthwiseInputGradient(
  kernels: SimdConvolution,
  backend: WasmHeapBackend,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  inputShape: Shape4,
  convolution: ResolvedConvolution,
): tf.TensorInfo {
  const out = zeroedOutput(backend, inputShape);
  const pixelBytes = inputShape[3] * 4;
  kernels.depthwiseInputGradient(
    backend.getMemoryOffset(out.dataId),
    backend.getMemoryOffset(dy.dataId),
    backend.getMemoryOffset(filter.dataId),
    ...geometryParameters(convolution),
    pixelBytes,
    pixelBytes,
    pixelBytes,
  );
  return out;
}

/** dFilter of a conv2d; `x` and `dy` NHWC float32. */
export function simdConvFilterGradient(
  kernels: SimdConvolution,
  backend: WasmHeapBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  filterShape: Shape4,
  convolution: ResolvedConvolution,
): tf.TensorInfo {
  const out = zeroedOutput(backend, filterShape);
  const [filterHeight, filterWidth, inChannels, outChannels] = filterShape;
  const { batchSize, height, width } = convolution;
  const isPointwise =
    filterHeight === 1 &&
    filterWidth === 1 &&
    height.stride === 1 &&
    width.stride === 1 &&
    height.padBefore === 0 &&
    width.padBefore === 0 &&
    height.outSize === height.inSize &&
    width.outSize === width.inSize;
  if (isPointwise) {
    const rows = batchSize * height.inSize * width.inSize;
    if (outChannels >= inChannels) {
      kernels.pointwiseFilterGradient(
        backend.getMemoryOffset(x.dataId),
        backend.getMemoryOffset(dy.dataId),
        backend.getMemoryOffset(out.dataId),
        rows,
        inChannels * 4,
        outChannels * 4,
      );
      return out;
    }
    // The kernel vectorizes over its second operand's channels: give it the wider one and
    // transpose the small [Co, Ci] result.
    const transposed = zeroedOutput(backend, [outChannels, inChannels]);
    kernels.pointwiseFilterGradient(
      backend.getMemoryOffset(dy.dataId),
      backend.getMemoryOffset(x.dataId),
      backend.getMemoryOffset(transposed.dataId),
      rows,
      outChannels * 4,
      inChannels * 4,
    );
    const source = backend.typedArrayFromHeap(transposed);
    const target = backend.typedArrayFromHeap(out);
    for (let inChannel = 0; inChannel < inChannels; inChannel++) {
      for (let outChannel = 0; outChannel < outChannels; outChannel++) {
        target[inChannel * outChannels + outChannel] = source[outChannel * inChannels + inChannel]!;
      }
    }
    backend.disposeData(transposed.dataId);
    return out;
  }
  kernels.convFilterGradient(
    backend.getMemoryOffset(x.dataId),
    backend.getMemoryOffset(dy.dataId),
    backend.getMemoryOffset(out.dataId),
    ...geometryParameters(convolution),
    inChannels * 4,
    outChannels * 4,
    inChannels * outChannels * 4,
  );
  return out;
}
