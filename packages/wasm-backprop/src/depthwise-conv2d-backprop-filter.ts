import * as tf from '@tensorflow/tfjs-core';
import { asTensor } from './as-tensor.js';
import { filterGradientPadding } from './axis-geometry.js';
import { type ResolvedConvolution, resolveConvolution } from './resolve-convolution.js';
import { simdConvolutionFor } from './simd/simd-convolution.js';
import { simdDepthwiseFilterGradient } from './simd/simd-gradients.js';
import type { KernelArguments, WasmHeapBackend } from './wasm-heap.js';

/**
 * `DepthwiseConv2dNativeBackpropFilter` for wasm. With `simd` (and channel multiplier 1) it is
 * one pass of our WebAssembly SIMD kernel over the heap. Otherwise it is composed from built-in
 * kernels: each channel's filter gradient is the correlation of that channel of `x` with the same
 * channel of `dy`, summed over the batch, so moving the batch into the channel axis turns all of
 * them into one depthwise conv (`dy` as a filter dilated by the stride) and a sum over the batch.
 */
export function createDepthwiseConv2dBackpropFilter(simd: boolean): tf.KernelFunc {
  return (args: KernelArguments) => {
    const { x, dy } = args.inputs as tf.DepthwiseConv2dNativeBackpropFilterInputs;
    const attributes = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
    const backend = args.backend as WasmHeapBackend;
    const filterShape = attributes.filterShape;
    const convolution = resolveConvolution(
      tf.DepthwiseConv2dNativeBackpropFilter,
      x!.shape,
      filterShape,
      attributes,
      true,
      dy!.shape,
    );
    const kernels = simd ? simdConvolutionFor(backend) : null;
    if (
      kernels !== null &&
      filterShape[3] === 1 &&
      x!.dtype === 'float32' &&
      dy!.dtype === 'float32'
    ) {
      return simdDepthwiseFilterGradient(kernels, backend, x!, dy!, filterShape, convolution);
    }
    return composeFilterGradient(x!, dy!, filterShape, convolution, backend);
  };
}

function composeFilterGradient(
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  filterShape: [number, number, number, number],
  { batchSize, height, width }: ResolvedConvolution,
  backend: WasmHeapBackend,
): tf.Tensor {
  const [filterHeight, filterWidth, inChannels, multiplier] = filterShape;
  return tf.tidy(() => {
    const [padTop, padBottom] = filterGradientPadding(height);
    const [padLeft, padRight] = filterGradientPadding(width);
    const batchAsChannels = tf.reshape<tf.Rank.R4>(
      tf.transpose(asTensor(x, backend), [1, 2, 0, 3]),
      [1, height.inSize, width.inSize, batchSize * inChannels],
    );
    const gradientAsFilter = tf.reshape<tf.Rank.R4>(
      tf.transpose(asTensor(dy, backend), [1, 2, 0, 3]),
      [height.outSize, width.outSize, batchSize * inChannels, multiplier],
    );
    const correlation = tf.depthwiseConv2d(
      batchAsChannels,
      gradientAsFilter,
      1,
      [
        [0, 0],
        [padTop, padBottom],
        [padLeft, padRight],
        [0, 0],
      ],
      'NHWC',
      [height.stride, width.stride],
    );
    const [, rows, columns] = correlation.shape;
    let summed = tf.sum(
      tf.reshape(correlation, [rows, columns, batchSize, inChannels * multiplier]),
      2,
    );
    if (rows !== filterHeight || columns !== filterWidth) {
      summed = tf.slice(summed, 0, [filterHeight, filterWidth, inChannels * multiplier]);
    }
    return tf.reshape(summed, filterShape);
  });
}
