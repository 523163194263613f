const marker = 'supernas.error';
const symbol = Symbol.for(marker);

export interface SupernasErrorOptions {
  /**
   * A stable, machine-readable identifier (`invalid_arch`, `corrupt_weights`, ...; the table is
   * in the package README). Messages may be reworded between releases; codes are not.
   */
  readonly code: string;
  /** The error this one was raised from (a file-system error, a parse error, ...). */
  readonly cause?: unknown;
}

/**
 * The base of every error supernas raises for input it cannot use. An app prints any
 * `SupernasError` as one line: its message names the bad value and what was expected. Anything
 * else reaching the top is a bug. (A few classes, such as `DisposedError`, signal a misused API
 * rather than bad input; they derive from it too, for their stable codes.)
 *
 * `instanceof` fails when two copies of a package end up in one bundle (two versions, or an ESM
 * and a CJS copy); `SupernasError.isInstance` checks a `Symbol.for` marker instead, so it holds
 * across copies (the pattern of vercel/ai's `AISDKError`).
 */
export class SupernasError extends Error {
  // The marker `isInstance` looks for; a symbol from the global registry is the same in every copy.
  readonly [symbol] = true;

  /** Stable identifier of what went wrong; see `SupernasErrorOptions.code`. */
  readonly code: string;

  constructor(message: string, options: SupernasErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
  }

  /** True for any supernas error, from this copy of the package or another. */
  static isInstance(error: unknown): error is SupernasError {
    return SupernasError.hasMarker(error, marker);
  }

  /** True for a supernas error with this `code`, from any copy of the package. */
  static hasCode(error: unknown, code: string): error is SupernasError {
    return SupernasError.isInstance(error) && error.code === code;
  }

  protected static hasMarker(error: unknown, name: string): boolean {
    const markerSymbol = Symbol.for(name);
    return (
      error != null &&
      typeof error === 'object' &&
      markerSymbol in error &&
      typeof (error as Record<symbol, unknown>)[markerSymbol] === 'boolean' &&
      (error as Record<symbol, unknown>)[markerSymbol] === true
    );
  }
}
