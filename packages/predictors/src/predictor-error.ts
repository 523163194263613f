import { expectedMessage, SupernasError } from '@supernas/errors';

/**
 * Thrown for predictor input that cannot be used: a malformed predictor file, training data of
 * the wrong shape, a predictor of another space, an unknown encoder. `code` says which.
 */
export class PredictorError extends SupernasError {
  readonly value: unknown;

  constructor(message: string, options: { code: string; value?: unknown; cause?: unknown }) {
    super(message, { code: options.code, cause: options.cause });
    this.value = options.value;
  }
}

export { expectedMessage };
