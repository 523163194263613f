import {
  ArchEncodingError,
  InvalidArchError,
  UnknownSearchSpaceError,
} from '@supernas/search-space';

/** A problem with what the user asked for (a file, a value): reported as one line, exit 1. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/**
 * Error classes that describe bad input rather than a bug: the CLI prints their message alone,
 * without a stack. Add a package's input-error classes here as commands start using them.
 */
export const userErrorClasses: (abstract new (...args: never[]) => Error)[] = [
  CliUsageError,
  InvalidArchError,
  UnknownSearchSpaceError,
  ArchEncodingError,
];

export function isUserError(error: unknown): error is Error {
  return userErrorClasses.some((errorClass) => error instanceof errorClass);
}
