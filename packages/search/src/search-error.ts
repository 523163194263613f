import { expectedMessage, SupernasError } from '@supernas/errors';

/**
 * Thrown for a search that cannot run as asked: bad options, a budget no arch meets, a fitness
 * callback returning the wrong thing, a saved state of another search. `code` says which.
 */
export class SearchError extends SupernasError {
  readonly value: unknown;

  constructor(message: string, options: { code: string; value?: unknown; cause?: unknown }) {
    super(message, { code: options.code, cause: options.cause });
    this.value = options.value;
  }
}

export { expectedMessage };
