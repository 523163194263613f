import { readFile } from 'node:fs/promises';
import { CliUsageError } from './cli-usage-error.js';

/**
 * The text of a file the user named (`what`: `config`, `arch file`, ...); a file that cannot be
 * read is one `CliUsageError` line: `Cannot read <what> <path>: no such file` (or the reason).
 */
export async function readInputFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new CliUsageError(`Cannot read ${what} ${path}: ${reason}`, { cause: error });
  }
}
