import * as tf from '@tensorflow/tfjs-core';
import { asTensor } from './as-tensor.js';
import { filterGradientPadding } from './axis-geometry.js';
import { type ResolvedConvolution, resolveConvolution } from './resolve-convolution.js';
import { simdConvolutionFor } from './simd/simd-convolution.js';
import { simdConvFilterGradient } from './simd/simd-gradients.js';
import type { KernelArguments, WasmHeapBackend } from './wasm-heap.js';

/**
 * `Conv2DBackpropFilter` for wasm. With `simd` (NHWC) it is one pass of our WebAssembly SIMD
 * kernel over the heap. Otherwise it is composed from kernels wasm runs fast: a 1x1 stride-1
 * unpadded filter's gradient is one matMul, `x^T dy`, with the transpose done explicitly because
 * wasm's transposed matMul is a scalar loop; any other filter's gradient is the correlation trick,
 * a conv2d with the batch as the contracted channel axis, the input channels as the batch, and
 * `dy` as a filter dilated by the stride.
 */
export function createConv2dBackpropFilter(simd: boolean): tf.KernelFunc {
  return (args: KernelArguments) => {
    const { x, dy } = args.inputs as tf.Conv2DBackpropFilterInputs;
    const attributes = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const backend = args.backend as WasmHeapBackend;
    const kernels = simd && attributes.dataFormat !== 'NCHW' ? simdConvolutionFor(backend) : null;
    if (kernels !== null && x!.dtype === 'float32' && dy!.dtype === 'float32') {
      const convolution = resolveConvolution(
        tf.Conv2DBackpropFilter,
        x!.shape,
        attributes.filterShape,
        attributes,
        false,
        dy!.shape,
      );
      return simdConvFilterGradient(kernels, backend, x!, dy!, attributes.filterShape, convolution);
    }
    return tf.tidy(() => {
      let input = asTensor<tf.Rank.R4>(x!, backend);
      let gradient = asTensor<tf.Rank.R4>(dy!, backend);
      if (attributes.dataFormat === 'NCHW') {
        input = tf.transpose(input, [0, 2, 3, 1]);
        gradient = tf.transpose(gradient, [0, 2, 3, 1]);
      }
      const convolution = resolveConvolution(
        tf.Conv2DBackpropFilter,
        input.shape,
        attributes.filterShape,
        attributes,
        false,
        gradient.shape,
      );
      return composeFilterGradient(input, gradient, attributes.filterShape, convolution);
    });
  };
}

function composeFilterGradient(
  input: tf.Tensor4D,
  gradient: tf.Tensor4D,
  filterShape: [number, number, number, number],
  { height, width }: ResolvedConvolution,
): tf.Tensor {
  const [filterHeight, filterWidth, inChannels, outChannels] = filterShape;
  const [padTop, padBottom] = filterGradientPadding(height);
  const [padLeft, padRight] = filterGradientPadding(width);
  const isPointwise =
    filterHeight === 1 &&
    filterWidth === 1 &&
    height.stride === 1 &&
    width.stride === 1 &&
    padTop + padBottom + padLeft + padRight === 0;
  if (isPointwise) {
    const columns = tf.transpose(tf.reshape(input, [-1, inChannels]));
    const product = tf.matMul(columns, tf.reshape(gradient, [-1, outChannels]));
    return tf.reshape(product, filterShape);
  }
  const channelsAsBatch = tf.transpose(input, [3, 1, 2, 0]);
  const gradientAsFilter = tf.transpose(gradient, [1, 2, 0, 3]);
  let correlation = tf.conv2d(
    channelsAsBatch,
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
  if (correlation.shape[1] !== filterHeight || correlation.shape[2] !== filterWidth) {
    correlation = tf.slice(correlation, 0, [inChannels, filterHeight, filterWidth, outChannels]);
  }
  return tf.transpose(correlation, [1, 2, 0, 3]);
}
