/**
 * Thrown when a loss gets a tensor or option it cannot use. Carries the loss, the argument and
 * the offending value (a shape, dtype or number), so a training log shows what went wrong.
 */
export class LossArgumentError extends Error {
  override readonly name = 'LossArgumentError';

  constructor(
    readonly lossName: string,
    readonly argument: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`Error in ${lossName}: ${argument} must be ${expected}, but got ${formatValue(value)}.`);
  }
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  if (typeof value === 'string') return `'${value}'`;
  return String(value);
}
