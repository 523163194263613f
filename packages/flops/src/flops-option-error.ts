import { formatValue, SupernasError } from '@supernas/errors';

/**
 * A count option (class count, channel count, samples, bins) or a FLOPs prior that a counter
 * cannot use. Carries the function, the option and the offending value. Code `flops_option`.
 */
export class FlopsOptionError extends SupernasError {
  override readonly name = 'FlopsOptionError';

  constructor(
    readonly caller: string,
    readonly option: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`${caller}: ${option} must be ${expected}, got ${formatValue(value)}`, {
      code: 'flops_option',
    });
  }
}
