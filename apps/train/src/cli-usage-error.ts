import { SupernasError } from '@supernas/errors';

/**
 * A problem with what the user asked for (a file, a value): reported as one line, exit 1. Code
 * `cli_usage`.
 */
export class CliUsageError extends SupernasError {
  override readonly name = 'CliUsageError';

  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, { code: 'cli_usage', cause: options.cause });
  }
}
