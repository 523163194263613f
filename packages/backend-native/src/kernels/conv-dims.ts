import type { backend_util } from '@tensorflow/tfjs-core';

/**
 * The 18 integers native/conv.cc reads, or undefined when oneDNN cannot express the convolution
 * exactly as tfjs computed it (NCHW, empty tensors, or output sizes from a rounding mode that
 * the padding does not reproduce).
 */
export function convDims(info: backend_util.Conv2DInfo, depthwise: boolean): number[] | undefined {
  const { padInfo } = info;
  if (info.dataFormat !== 'channelsLast') return undefined;
  const sizes = [info.batchSize, info.inHeight, info.inWidth, info.inChannels];
  if (sizes.some((size) => size <= 0) || info.outHeight <= 0 || info.outWidth <= 0) {
    return undefined;
  }
  const { top, left, bottom, right } = padInfo;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return undefined;
  const expectedHeight =
    Math.floor((info.inHeight + top + bottom - info.effectiveFilterHeight) / info.strideHeight) + 1;
  const expectedWidth =
    Math.floor((info.inWidth + left + right - info.effectiveFilterWidth) / info.strideWidth) + 1;
  if (expectedHeight !== info.outHeight || expectedWidth !== info.outWidth) return undefined;
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    top,
    left,
    bottom,
    right,
    depthwise ? 1 : 0,
  ];
}
