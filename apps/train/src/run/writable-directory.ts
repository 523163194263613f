import { mkdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { describeFileSystemError, RunFileError } from './run-file-error.js';

/** Kernel file systems: files there are not storage, and Node's recursive mkdir spins on /proc. */
const virtualRoots = ['/proc', '/sys'];

function underVirtualRoot(path: string): string | undefined {
  return virtualRoots.find((root) => path === root || path.startsWith(`${root}${sep}`));
}

/**
 * Makes sure `path` is a folder this process can write to, creating it and its missing parents,
 * and returns its absolute path; `what` names it in errors (`--run-dir`, `--out`). Fails fast, as
 * one `RunFileError` line, where the folder cannot be: under /proc or /sys (where Node's own
 * recursive mkdir never returns), a file or under a file, on a read-only mount, without
 * permission or space. It walks up to the first existing ancestor instead of trusting a
 * recursive mkdir, whose errors name the wrong path (ENOENT for a read-only mount).
 */
export async function ensureWritableDirectory(path: string, what: string): Promise<string> {
  const target = resolve(path);
  const fail = (reason: string, cause?: unknown): never => {
    throw new RunFileError(`${what} ${target} cannot be used: ${reason}`, target, cause);
  };
  const virtual = underVirtualRoot(target);
  if (virtual !== undefined) fail(`it is under ${virtual}, a kernel file system, not storage`);

  const missing: string[] = [];
  let ancestor = target;
  for (;;) {
    try {
      const info = await stat(ancestor);
      if (!info.isDirectory()) {
        fail(
          ancestor === target
            ? 'it is a file, expected a folder'
            : `${ancestor} is a file, expected a folder`,
        );
      }
      break;
    } catch (error) {
      if (error instanceof RunFileError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(ancestor) === ancestor)
        fail(`cannot look at ${ancestor}: ${describeFileSystemError(error)}`, error);
      missing.unshift(basename(ancestor));
      ancestor = dirname(ancestor);
    }
  }
  // A symlink may lead under /proc or /sys too.
  const real = await realpath(ancestor).catch(() => ancestor);
  const virtualReal = underVirtualRoot(real);
  if (virtualReal !== undefined)
    fail(`${ancestor} is ${real}, under ${virtualReal}, a kernel file system, not storage`);

  let current = ancestor;
  for (const name of missing) {
    current = join(current, name);
    try {
      await mkdir(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const isFolder = code === 'EEXIST' && (await stat(current).catch(() => null))?.isDirectory();
      if (!isFolder) fail(`cannot create ${current}: ${describeFileSystemError(error)}`, error);
    }
  }
  // Root passes every permission check, and an existing folder can sit on a read-only mount:
  // only a real write says whether the run can write here.
  const probe = join(target, `.supernas-write-probe-${process.pid}`);
  try {
    await writeFile(probe, '');
  } catch (error) {
    fail(`cannot write in it: ${describeFileSystemError(error)}`, error);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
  return target;
}
