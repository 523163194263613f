import { formatValue, SupernasError } from '@supernas/errors';

/** A search-space name that is not one of the presets. Code `unknown_search_space`. */
export class UnknownSearchSpaceError extends SupernasError {
  override readonly name = 'UnknownSearchSpaceError';
  readonly value: string;
  readonly known: readonly string[];

  constructor(value: string, known: readonly string[]) {
    super(`Unknown search space ${formatValue(value)}, expected one of ${known.join(', ')}`, {
      code: 'unknown_search_space',
    });
    this.value = value;
    this.known = known;
  }
}
