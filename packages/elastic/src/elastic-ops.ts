import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelNames, fusedPointwiseConv, hasFusedKernels } from './fused-kernels.js';

/**
 * The leading block of `weight` of shape `size` starting at `begin` (zeros if omitted), with no op
 * at all when that is the whole tensor: the largest subnet then reads its weights directly.
 */
export function sliceWeight<R extends tf.Rank>(
  weight: tf.Tensor<R>,
  size: readonly number[],
  begin?: readonly number[],
): tf.Tensor<R> {
  const whole = weight.shape.every(
    (dimension, axis) => dimension === size[axis] && (begin === undefined || begin[axis] === 0),
  );
  if (whole) return weight;
  return tf.slice(weight, begin === undefined ? size.map(() => 0) : [...begin], [
    ...size,
  ]) as tf.Tensor<R>;
}

/**
 * A stride-1 1x1 conv as a matrix product over [N * H * W, C]: the same arithmetic as conv2d,
 * fewer kernels to fall back on (wasm has no Conv2DBackpropFilter) and faster on every backend.
 * `weight` is [1, 1, in, out] or [in, out]. Where the backend registers the fused pointwise conv
 * kernels (`@supernas/backend-native`) it is one kernel each way instead of about 14 dispatches.
 */
export function pointwiseConv(x: tf.Tensor4D, weight: tf.Tensor): tf.Tensor4D {
  const fused =
    x.dtype === 'float32' &&
    weight.dtype === 'float32' &&
    x.size > 0 &&
    hasFusedKernels(fusedKernelNames.pointwiseConv, fusedKernelNames.pointwiseConvGrad);
  if (fused) return fusedPointwiseConv(x, weight) as tf.Tensor4D;
  const [batch, height, width, channels] = x.shape;
  const outChannels = weight.shape[weight.rank - 1] as number;
  const matrix =
    weight.rank === 2 ? (weight as tf.Tensor2D) : tf.reshape(weight, [channels, outChannels]);
  const rows = tf.reshape(x, [batch * height * width, channels]);
  return tf.reshape(tf.matMul(rows, matrix), [batch, height, width, outChannels]);
}

function symmetricPadding(
  padding: number,
): [[number, number], [number, number], [number, number], [number, number]] {
  return [
    [0, 0],
    [padding, padding],
    [padding, padding],
    [0, 0],
  ];
}

/**
 * A k x k conv with PyTorch's symmetric zero padding (`padding` on every side). TF's 'same' pads
 * asymmetrically at stride 2, which would shift every feature map against the reference.
 */
export function spatialConv(
  x: tf.Tensor4D,
  weight: tf.Tensor4D,
  stride: number,
  padding: number,
): tf.Tensor4D {
  return tf.conv2d(x, weight, stride, symmetricPadding(padding));
}

/** A depthwise k x k conv with weight [k, k, C, 1] and PyTorch's symmetric padding. */
export function depthwiseConv(
  x: tf.Tensor4D,
  weight: tf.Tensor4D,
  stride: number,
  padding: number,
): tf.Tensor4D {
  return tf.depthwiseConv2d(x, weight, stride, symmetricPadding(padding));
}

/**
 * Average pooling with window and stride `size` after `padding` zeros on each side that count in
 * the average, as PyTorch's `avg_pool2d` with `count_include_pad=True` (tfjs' own padding would
 * leave them out of the divisor).
 */
export function averagePool(x: tf.Tensor4D, size: number, padding: number): tf.Tensor4D {
  const padded = padding > 0 ? tf.pad(x, symmetricPadding(padding)) : x;
  return tf.avgPool(padded, size, size, 'valid');
}

/**
 * tf.mean's own gradient builds a tensor of ones the size of x, multiplies and divides (three
 * full-size ops); this one scales the [N, 1, 1, C] gradient and broadcasts it once.
 */
const globalAveragePoolOp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor4D;
  const [, height, width] = x.shape;
  const gradFunc = (dy: tf.Tensor): tf.Tensor =>
    tf.broadcastTo(tf.div(dy, height * width), x.shape);
  return { value: tf.mean(x, [1, 2], true), gradFunc };
});

/** Global average pool, keeping the spatial dims: [N, H, W, C] -> [N, 1, 1, C]. */
export function globalAveragePool(x: tf.Tensor4D): tf.Tensor4D {
  return globalAveragePoolOp(x) as tf.Tensor4D;
}
