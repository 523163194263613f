/** A problem with what the user asked for (a file, a value): reported as one line, exit 1. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
