import { formatValue, SupernasError } from '@supernas/errors';

/**
 * Thrown for a sampler configuration, rank result or saved state that cannot be used. Carries
 * the sampler, what was wrong and the offending value. Code `sampler`.
 */
export class SamplerError extends SupernasError {
  override readonly name = 'SamplerError';

  constructor(
    readonly sampler: string,
    readonly argument: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`${sampler}: ${argument} must be ${expected}, got ${formatValue(value)}`, {
      code: 'sampler',
    });
  }
}
