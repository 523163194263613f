import { describe, expect, it } from 'vitest';
import { resolveConvolution } from './resolve-convolution.js';
import { UnsupportedConvolutionError } from './unsupported-convolution-error.js';

describe('resolveConvolution', () => {
  it("splits 'same' padding like tfjs, the odd pixel after", () => {
    const { batchSize, height, width } = resolveConvolution(
      'Conv2DBackpropFilter',
      [2, 8, 9, 3],
      [3, 3, 3, 4],
      { strides: 2, pad: 'same' },
      false,
      [2, 4, 5, 4],
    );
    expect(batchSize).toBe(2);
    expect(height).toEqual({ inSize: 8, outSize: 4, filterSize: 3, stride: 2, padBefore: 0 });
    expect(width).toEqual({ inSize: 9, outSize: 5, filterSize: 3, stride: 2, padBefore: 1 });
  });

  it("takes the output size from dy, since tfjs' gradients drop dimRoundingMode", () => {
    const { height } = resolveConvolution(
      'Conv2DBackpropFilter',
      [1, 8, 8, 1],
      [3, 3, 1, 1],
      { strides: 2, pad: 1 },
      false,
      [1, 5, 4, 1],
    );
    expect(height.outSize).toBe(5);
  });

  it('reads explicit paddings', () => {
    const { height, width } = resolveConvolution(
      'DepthwiseConv2dNativeBackpropInput',
      [1, 6, 6, 2],
      [3, 3, 2, 1],
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [2, 0],
          [1, 3],
          [0, 0],
        ],
      },
      true,
      [1, 6, 8, 2],
    );
    expect(height.padBefore).toBe(2);
    expect(width.padBefore).toBe(1);
  });

  it('rejects dilations other than 1, naming the kernel and the value', () => {
    const resolve = () =>
      resolveConvolution(
        'DepthwiseConv2dNativeBackpropFilter',
        [1, 6, 6, 2],
        [3, 3, 2, 1],
        { strides: 1, pad: 'valid', dilations: [2, 1] },
        true,
        [1, 2, 4, 2],
      );
    expect(resolve).toThrow(UnsupportedConvolutionError);
    expect(resolve).toThrow('DepthwiseConv2dNativeBackpropFilter: dilations must be 1, got [2,1]');
  });

  it('rejects a dy whose batch differs from the input', () => {
    expect(() =>
      resolveConvolution(
        'Conv2DBackpropFilter',
        [2, 4, 4, 1],
        [1, 1, 1, 1],
        { strides: 1, pad: 'valid' },
        false,
        [3, 4, 4, 1],
      ),
    ).toThrow("Conv2DBackpropFilter: dy batch size must be the input's batch size 2, got 3");
  });
});
