import { SupernasError } from '@supernas/errors';

const reasons: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted there',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, expected a file',
  EEXIST: 'a file is in the way',
  ENOENT: 'no such file or folder',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'an input/output error of the device',
};

/** `no space left on the device (ENOSPC)` for a Node file-system error; its message otherwise. */
export function describeFileSystemError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return `${reasons[code] ?? code.toLowerCase()} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

/** True for an error Node's file-system calls raise (it carries an errno code such as ENOSPC). */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === 'string' &&
    /^E[A-Z]+$/.test((error as NodeJS.ErrnoException).code!) &&
    'syscall' in error
  );
}

/**
 * A file or folder a command must read or write cannot be used: the path, what it is for, and
 * why (`no space left on the device (ENOSPC)`), in one line.
 */
export class RunFileError extends SupernasError {
  constructor(
    message: string,
    readonly path: string,
    cause?: unknown,
  ) {
    super(message, { code: 'run_file', cause });
  }
}

/**
 * Runs `write` and turns a file-system failure into a `RunFileError` naming `path` and `what`
 * (`the checkpoint`, `metrics.jsonl`); any other error passes through.
 */
export async function withFileErrors<T>(
  what: string,
  path: string,
  write: () => Promise<T> | T,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isFileSystemError(error)) throw error;
    throw new RunFileError(
      `cannot write ${what} ${path}: ${describeFileSystemError(error)}`,
      path,
      error,
    );
  }
}
