import * as tf from '@tensorflow/tfjs-core';
import { asTensor } from './as-tensor.js';
import { type AxisGeometry, inputGradientWindow } from './axis-geometry.js';
import { cropSpatial, explicitPadding } from './crop-spatial.js';
import { dilateSpatial } from './dilate-spatial.js';
import { resolveConvolution } from './resolve-convolution.js';
import type { KernelArguments, WasmHeapBackend } from './wasm-heap.js';

/**
 * `Conv2DBackpropInput` for wasm, replacing the built-in one, which is a scalar C++ loop. A 1x1
 * stride-1 unpadded filter's input gradient is one matMul, `dy W^T`; any other is a stride-1
 * conv2d (XNNPACK) of `dy`, dilated by the stride and padded, with the spatially flipped filter
 * whose in and out channels are swapped.
 */
export function conv2dBackpropInput(args: KernelArguments): tf.TensorInfo {
  const { dy, filter } = args.inputs as tf.Conv2DBackpropInputInputs;
  const attributes = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const backend = args.backend as WasmHeapBackend;
  const channelsFirst = attributes.dataFormat === 'NCHW';
  const [batch, dim1, dim2, dim3] = attributes.inputShape;
  const inputShape: [number, number, number, number] = channelsFirst
    ? [batch, dim2, dim3, dim1]
    : [batch, dim1, dim2, dim3];
  return tf.tidy(() => {
    let gradient = asTensor<tf.Rank.R4>(dy!, backend);
    const weights = asTensor<tf.Rank.R4>(filter!, backend);
    if (channelsFirst) gradient = tf.transpose(gradient, [0, 2, 3, 1]);
    const [filterHeight, filterWidth, inChannels, outChannels] = weights.shape;
    const { height, width } = resolveConvolution(
      tf.Conv2DBackpropInput,
      inputShape,
      weights.shape,
      attributes,
      false,
      gradient.shape,
    );
    const isPointwise =
      filterHeight === 1 &&
      filterWidth === 1 &&
      height.stride === 1 &&
      width.stride === 1 &&
      height.padBefore === 0 &&
      width.padBefore === 0 &&
      height.outSize === height.inSize &&
      width.outSize === width.inSize;
    let inputGradient: tf.Tensor4D;
    if (isPointwise) {
      const rows = tf.reshape(gradient, [-1, outChannels]);
      const weightsTransposed = tf.transpose(tf.reshape(weights, [inChannels, outChannels]));
      inputGradient = tf.reshape(tf.matMul(rows, weightsTransposed), inputShape);
    } else {
      inputGradient = transposedConvolution(gradient, weights, inputShape, height, width);
    }
    return channelsFirst ? tf.transpose(inputGradient, [0, 3, 1, 2]) : inputGradient;
  });
}

/** dx as a stride-1 conv2d of the dilated, windowed dy with the flipped, channel-swapped filter. */
function transposedConvolution(
  gradient: tf.Tensor4D,
  weights: tf.Tensor4D,
  inputShape: [number, number, number, number],
  height: AxisGeometry,
  width: AxisGeometry,
): tf.Tensor4D {
  const heightWindow = inputGradientWindow(height);
  const widthWindow = inputGradientWindow(width);
  const dilated = dilateSpatial(gradient, height.stride, width.stride);
  if (
    heightWindow.cropBefore + heightWindow.cropAfter >= dilated.shape[1] ||
    widthWindow.cropBefore + widthWindow.cropAfter >= dilated.shape[2]
  ) {
    // Every output position met only padding in the forward pass.
    return tf.zeros(inputShape);
  }
  const flipped = tf.transpose(tf.reverse(weights, [0, 1]), [0, 1, 3, 2]);
  return tf.conv2d(
    cropSpatial(dilated, heightWindow, widthWindow),
    flipped,
    1,
    explicitPadding(heightWindow, widthWindow),
  );
}
