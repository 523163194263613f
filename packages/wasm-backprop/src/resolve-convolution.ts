import { backend_util } from '@tensorflow/tfjs-core';
import type { AxisGeometry } from './axis-geometry.js';
import { UnsupportedConvolutionError } from './unsupported-convolution-error.js';

type Shape4 = [number, number, number, number];
type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

export interface ConvolutionAttributes {
  strides: [number, number] | number;
  pad: Pad;
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export interface ResolvedConvolution {
  batchSize: number;
  height: AxisGeometry;
  width: AxisGeometry;
}

/**
 * Resolves a gradient kernel's attributes the way the forward kernel did (same split of 'same'
 * padding), so the gradient matches the convolution tfjs actually ran. `inShape` and
 * `gradientShape` (dy) are NHWC. The output size is dy's own: tfjs' gradients drop the forward
 * pass's `dimRoundingMode`, so the size recomputed from the attributes can be a row short.
 */
export function resolveConvolution(
  kernelName: string,
  inShape: readonly number[],
  filterShape: readonly number[],
  attributes: ConvolutionAttributes,
  depthwise: boolean,
  gradientShape: readonly number[],
): ResolvedConvolution {
  const dilations = attributes.dilations ?? 1;
  const [dilationHeight, dilationWidth] =
    typeof dilations === 'number' ? [dilations, dilations] : dilations;
  if (dilationHeight !== 1 || dilationWidth !== 1) {
    throw new UnsupportedConvolutionError(kernelName, 'dilations', dilations, '1');
  }
  const info = backend_util.computeConv2DInfo(
    inShape as Shape4,
    filterShape as Shape4,
    attributes.strides,
    1,
    attributes.pad,
    attributes.dimRoundingMode,
    depthwise,
  );
  const [gradientBatch, outHeight, outWidth] = gradientShape;
  if (gradientBatch !== info.batchSize) {
    throw new UnsupportedConvolutionError(
      kernelName,
      'dy batch size',
      gradientBatch,
      `the input's batch size ${info.batchSize}`,
    );
  }
  return {
    batchSize: info.batchSize,
    height: {
      inSize: info.inHeight,
      outSize: outHeight!,
      filterSize: info.filterHeight,
      stride: info.strideHeight,
      padBefore: info.padInfo.top,
    },
    width: {
      inSize: info.inWidth,
      outSize: outWidth!,
      filterSize: info.filterWidth,
      stride: info.strideWidth,
      padBefore: info.padInfo.left,
    },
  };
}
