/**
 * One spatial axis of a forward convolution, as tfjs resolved it (`backend_util.computeConv2DInfo`):
 * `out[o] = sum_i in[o * stride + i - padBefore] * filter[i]`.
 */
export interface AxisGeometry {
  inSize: number;
  outSize: number;
  filterSize: number;
  stride: number;
  padBefore: number;
}

/** Cropping, then zero padding (all non-negative), to apply before a stride-1 correlation. */
export interface AxisWindow {
  cropBefore: number;
  cropAfter: number;
  padBefore: number;
  padAfter: number;
}

/**
 * The filter gradient `dFilter[i] = sum_o in[o * stride + i - padBefore] * dy[o]` is a stride-1
 * correlation of the input with `dy` dilated by `stride`. These zero paddings make that
 * correlation produce at least `filterSize` outputs; when the forward pass never read the last
 * inputs it produces more, and the caller keeps the first `filterSize` (a slice of a tensor the
 * size of the filter, cheaper than cropping the input).
 */
export function filterGradientPadding(axis: AxisGeometry): [number, number] {
  const { inSize, outSize, filterSize, stride, padBefore } = axis;
  const padAfter = filterSize + (outSize - 1) * stride - inSize - padBefore;
  return [padBefore, Math.max(0, padAfter)];
}

/**
 * The input gradient `dx[t] = sum_i dyDilated[t + padBefore - i] * filter[i]` is a stride-1
 * correlation of `dy` dilated by `stride` (length `outSize * stride`, the trailing `stride - 1`
 * entries zero) with the flipped filter. This window makes it produce exactly `inSize` outputs.
 * Negative paddings (explicit pads wider than the filter, or inputs the forward pass never read)
 * become crops, because entries there only ever met padding.
 */
export function inputGradientWindow(axis: AxisGeometry): AxisWindow {
  const { inSize, outSize, filterSize, stride, padBefore } = axis;
  const before = filterSize - 1 - padBefore;
  const after = inSize + padBefore - outSize * stride;
  return {
    cropBefore: Math.max(0, -before),
    cropAfter: Math.max(0, -after),
    padBefore: Math.max(0, before),
    padAfter: Math.max(0, after),
  };
}
