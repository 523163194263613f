import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeRequiring } from '@supernas/test-utils';
import { expect, it } from 'vitest';

const builtCli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

// End to end through the built file, as `pnpm supernas` runs it; needs `pnpm build` first
// (turbo's test task builds first, and CI requires it with SUPERNAS_REQUIRE=dist).
describeRequiring(
  'dist',
  existsSync(builtCli) ? undefined : `${builtCli} is missing (run pnpm build)`,
  'cli.js',
  () => {
    it('runs space show from the built output', () => {
      const result = spawnSync(
        process.execPath,
        [builtCli, 'space', 'show', '--space', 'tiny', '--json'],
        {
          encoding: 'utf8',
        },
      );
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!).name).toBe('tiny');
    });

    it('exits 1 with a one-line error for an unknown space', () => {
      const result = spawnSync(process.execPath, [builtCli, 'space', 'show', '--space', 'nope'], {
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        'error: Unknown search space "nope", expected one of attentivenas, tiny\n',
      );
    });
  },
);
