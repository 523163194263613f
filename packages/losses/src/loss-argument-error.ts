import { formatValue, SupernasError } from '@supernas/errors';

/**
 * Thrown when a loss gets a tensor or option it cannot use. Carries the loss, the argument and
 * the offending value (a shape, dtype or number), so a training log shows what went wrong.
 * Code `loss_argument`.
 */
export class LossArgumentError extends SupernasError {
  override readonly name = 'LossArgumentError';

  constructor(
    readonly lossName: string,
    readonly argument: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`Error in ${lossName}: ${argument} must be ${expected}, but got ${formatValue(value)}.`, {
      code: 'loss_argument',
    });
  }
}
