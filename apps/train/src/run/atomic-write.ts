import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeFileSystemError, isFileSystemError, RunFileError } from './run-file-error.js';

/**
 * Writes `path` through a temp file in the same folder and a rename: readers never see half a
 * file, a failed write (a full disk) leaves the previous file and no temp file behind, and
 * reports the path and the reason as a `RunFileError`.
 */
export async function atomicWrite(path: string, contents: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, contents);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    if (!isFileSystemError(error)) throw error;
    throw new RunFileError(`cannot write ${path}: ${describeFileSystemError(error)}`, path, error);
  }
}
