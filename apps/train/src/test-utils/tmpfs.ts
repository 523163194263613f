import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Mounts a small tmpfs (Linux, root): the only honest way to test a read-only mount or a full
 * disk. Returns undefined where mounting is not allowed, so tests can skip.
 */
export function mountTmpfs(options: {
  sizeKb: number;
  readOnly?: boolean;
}): { readonly path: string; readonly unmount: () => void } | undefined {
  if (process.platform !== 'linux') return undefined;
  const parent = mkdtempSync(join(tmpdir(), 'supernas-tmpfs-'));
  const path = join(parent, 'mount');
  mkdirSync(path);
  try {
    execFileSync(
      'mount',
      [
        '-t',
        'tmpfs',
        '-o',
        `size=${options.sizeKb}k${options.readOnly ? ',ro' : ''}`,
        'tmpfs',
        path,
      ],
      { stdio: 'ignore' },
    );
  } catch {
    rmSync(parent, { recursive: true, force: true });
    return undefined;
  }
  return {
    path,
    unmount: () => {
      execFileSync('umount', [path], { stdio: 'ignore' });
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** True where this process may mount file systems (root on Linux, not in a locked container). */
export function canMountTmpfs(): boolean {
  const probe = mountTmpfs({ sizeKb: 16 });
  probe?.unmount();
  return probe !== undefined;
}
