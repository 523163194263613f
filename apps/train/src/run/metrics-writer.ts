import { appendFileSync } from 'node:fs';

/**
 * Appends one JSON record per line. Appends are synchronous so a crash loses at most the
 * record being written, and a line is never interleaved with another.
 */
export class MetricsWriter {
  constructor(readonly path: string) {}

  write(record: Record<string, unknown>): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }
}
