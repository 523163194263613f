import { appendFileSync } from 'node:fs';
import { describeFileSystemError, isFileSystemError, RunFileError } from './run-file-error.js';

/**
 * Appends one JSON record per line. Appends are synchronous so a crash loses at most the
 * record being written, and a line is never interleaved with another.
 */
export class MetricsWriter {
  constructor(readonly path: string) {}

  write(record: Record<string, unknown>): void {
    try {
      appendFileSync(this.path, `${JSON.stringify(record)}\n`);
    } catch (error) {
      if (!isFileSystemError(error)) throw error;
      throw new RunFileError(
        `cannot write metrics ${this.path}: ${describeFileSystemError(error)}`,
        this.path,
        error,
      );
    }
  }
}
