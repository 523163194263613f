import { formatValue, SupernasError } from '@supernas/errors';

/**
 * A convolution gradient these kernels do not compute (tfjs itself only differentiates
 * convolutions with dilation 1); carries the kernel name and the offending attribute. Code
 * `unsupported_convolution`.
 */
export class UnsupportedConvolutionError extends SupernasError {
  override readonly name = 'UnsupportedConvolutionError';

  constructor(
    readonly kernelName: string,
    readonly attribute: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`${kernelName}: ${attribute} must be ${expected}, got ${formatValue(value)}`, {
      code: 'unsupported_convolution',
    });
  }
}
