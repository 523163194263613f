import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SupernasError } from '@supernas/errors';
import { describe, expect, it } from 'vitest';
import { canMountTmpfs, mountTmpfs } from '../test-utils/tmpfs.js';
import { atomicWrite } from './atomic-write.js';
import { RunFileError } from './run-file-error.js';
import { ensureWritableDirectory } from './writable-directory.js';

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error) => error,
  );

describe('ensureWritableDirectory', () => {
  it('creates missing folders and returns the absolute path', async () => {
    const root = await mkdtemp(join(tmpdir(), 'supernas-dir-'));
    const target = join(root, 'a', 'b', 'c');
    expect(await ensureWritableDirectory(target, '--run-dir')).toBe(target);
    expect(existsSync(target)).toBe(true);
    // The write probe is gone.
    expect(await readdir(target)).toEqual([]);
  });

  it('fails at once under /proc and /sys instead of spinning in a recursive mkdir', async () => {
    const started = performance.now();
    for (const path of ['/proc/x', '/proc/x/y/z', '/sys/x', '/sys']) {
      const error = await failure(ensureWritableDirectory(path, '--run-dir'));
      expect(error).toBeInstanceOf(RunFileError);
      expect(SupernasError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^--run-dir ${path} cannot be used: it is under /(proc|sys), a kernel file system`,
        ),
      );
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('names a file in the way: the folder itself or an ancestor', async () => {
    const root = await mkdtemp(join(tmpdir(), 'supernas-dir-'));
    const file = join(root, 'file');
    await writeFile(file, 'x');
    expect(((await failure(ensureWritableDirectory(file, '--out'))) as Error).message).toBe(
      `--out ${file} cannot be used: it is a file, expected a folder`,
    );
    expect(
      ((await failure(ensureWritableDirectory(join(file, 'a', 'b'), '--out'))) as Error).message,
    ).toBe(`--out ${join(file, 'a', 'b')} cannot be used: ${file} is a file, expected a folder`);
  });

  describe.skipIf(!canMountTmpfs())('on a read-only mount', () => {
    it('says the file system is read-only, for a new folder and an existing one', async () => {
      const mount = mountTmpfs({ sizeKb: 64, readOnly: true })!;
      try {
        const inside = join(mount.path, 'run');
        expect(
          ((await failure(ensureWritableDirectory(inside, '--run-dir'))) as Error).message,
        ).toBe(
          `--run-dir ${inside} cannot be used: cannot create ${inside}: the file system is read-only (EROFS)`,
        );
        expect(
          ((await failure(ensureWritableDirectory(mount.path, '--run-dir'))) as Error).message,
        ).toBe(
          `--run-dir ${mount.path} cannot be used: cannot write in it: the file system is read-only (EROFS)`,
        );
      } finally {
        mount.unmount();
      }
    });
  });
});

describe.skipIf(!canMountTmpfs())('atomicWrite on a full disk', () => {
  it('keeps the previous file, leaves no temp file and names the path and ENOSPC', async () => {
    const mount = mountTmpfs({ sizeKb: 64 })!;
    try {
      const path = join(mount.path, 'results.json');
      await atomicWrite(path, 'previous');
      const error = await failure(atomicWrite(path, new Uint8Array(256 * 1024)));
      expect(error).toBeInstanceOf(RunFileError);
      expect((error as Error).message).toBe(
        `cannot write ${path}: no space left on the device (ENOSPC)`,
      );
      expect(await readdir(mount.path)).toEqual(['results.json']);
      const { readFile } = await import('node:fs/promises');
      expect(await readFile(path, 'utf8')).toBe('previous');
    } finally {
      mount.unmount();
    }
  });
});
