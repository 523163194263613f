import { formatValue, SupernasError } from '@supernas/errors';

/**
 * An option of a search-space function (a seed, an RNG state, a mutation or crossover
 * probability) that it cannot use. Carries the function, the option and the offending value.
 * Code `search_space_option`.
 */
export class SearchSpaceOptionError extends SupernasError {
  override readonly name = 'SearchSpaceOptionError';

  constructor(
    readonly caller: string,
    readonly option: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`${caller}: ${option} must be ${expected}, got ${formatValue(value)}`, {
      code: 'search_space_option',
    });
  }
}
