import * as tf from '@tensorflow/tfjs-core';
import { asTensor } from './as-tensor.js';
import { inputGradientWindow } from './axis-geometry.js';
import { cropSpatial, explicitPadding } from './crop-spatial.js';
import { dilateSpatial } from './dilate-spatial.js';
import { type ResolvedConvolution, resolveConvolution } from './resolve-convolution.js';
import { simdConvolutionFor } from './simd/simd-convolution.js';
import { simdDepthwiseInputGradient } from './simd/simd-gradients.js';
import type { KernelArguments, WasmHeapBackend } from './wasm-heap.js';

/**
 * `DepthwiseConv2dNativeBackpropInput` for wasm: the transposed depthwise convolution. With
 * `simd` (and channel multiplier 1) it is one pass of our WebAssembly SIMD kernel. Otherwise it
 * is a stride-1 depthwise conv (XNNPACK) of `dy`, dilated by the stride and padded, with the
 * spatially flipped filter; a channel multiplier above 1 sums each input channel's outputs.
 */
export function createDepthwiseConv2dBackpropInput(simd: boolean): tf.KernelFunc {
  return (args: KernelArguments) => {
    const { dy, filter } = args.inputs as tf.DepthwiseConv2dNativeBackpropInputInputs;
    const attributes = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
    const backend = args.backend as WasmHeapBackend;
    const inputShape = attributes.inputShape;
    const convolution = resolveConvolution(
      tf.DepthwiseConv2dNativeBackpropInput,
      inputShape,
      filter!.shape,
      attributes,
      true,
      dy!.shape,
    );
    const kernels = simd ? simdConvolutionFor(backend) : null;
    if (
      kernels !== null &&
      filter!.shape[3] === 1 &&
      dy!.dtype === 'float32' &&
      filter!.dtype === 'float32'
    ) {
      return simdDepthwiseInputGradient(kernels, backend, dy!, filter!, inputShape, convolution);
    }
    return composeInputGradient(dy!, filter!, inputShape, convolution, backend);
  };
}

function composeInputGradient(
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  inputShape: [number, number, number, number],
  { height, width }: ResolvedConvolution,
  backend: WasmHeapBackend,
): tf.Tensor {
  return tf.tidy(() => {
    const weights = asTensor<tf.Rank.R4>(filter, backend);
    const [filterHeight, filterWidth, inChannels, multiplier] = weights.shape;
    const heightWindow = inputGradientWindow(height);
    const widthWindow = inputGradientWindow(width);
    const dilated = dilateSpatial(asTensor(dy, backend), height.stride, width.stride);
    if (
      heightWindow.cropBefore + heightWindow.cropAfter >= dilated.shape[1] ||
      widthWindow.cropBefore + widthWindow.cropAfter >= dilated.shape[2]
    ) {
      // Every output position met only padding in the forward pass.
      return tf.zeros(inputShape);
    }
    const windowed = cropSpatial(dilated, heightWindow, widthWindow);
    const flipped = tf.reverse(weights, [0, 1]);
    const padding = explicitPadding(heightWindow, widthWindow);
    if (multiplier === 1) return tf.depthwiseConv2d(windowed, flipped, 1, padding);
    const perOutputChannel = tf.depthwiseConv2d(
      windowed,
      tf.reshape(flipped, [filterHeight, filterWidth, inChannels * multiplier, 1]),
      1,
      padding,
    );
    return tf.sum(tf.reshape(perOutputChannel, [...inputShape, multiplier]), 4);
  });
}
