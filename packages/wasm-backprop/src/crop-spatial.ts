import * as tf from '@tensorflow/tfjs-core';
import type { AxisWindow } from './axis-geometry.js';

/** Applies a window's crops to an NHWC tensor; a no-op (no copy) in the common uncropped case. */
export function cropSpatial(x: tf.Tensor4D, height: AxisWindow, width: AxisWindow): tf.Tensor4D {
  if (height.cropBefore + height.cropAfter + width.cropBefore + width.cropAfter === 0) return x;
  const [batch, rows, columns, channels] = x.shape;
  return tf.slice(
    x,
    [0, height.cropBefore, width.cropBefore, 0],
    [
      batch,
      rows - height.cropBefore - height.cropAfter,
      columns - width.cropBefore - width.cropAfter,
      channels,
    ],
  );
}

/** A window's paddings in the explicit form tfjs convolutions take. */
export function explicitPadding(
  height: AxisWindow,
  width: AxisWindow,
): tf.backend_util.ExplicitPadding {
  return [
    [0, 0],
    [height.padBefore, height.padAfter],
    [width.padBefore, width.padAfter],
    [0, 0],
  ];
}
