import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
        "error: Unknown search space 'nope', expected one of attentivenas, tiny\n",
      );
    });

    it('sets OpenMP threads to sleep at barriers unless the user chose otherwise', () => {
      const defaults = fileURLToPath(new URL('../dist/openmp-defaults.js', import.meta.url));
      const script = `await import(${JSON.stringify(defaults)}); console.log(process.env.OMP_WAIT_POLICY)`;
      const env = { ...process.env };
      delete env.OMP_WAIT_POLICY;
      const unset = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        env,
      });
      expect(unset.stdout.trim()).toBe('PASSIVE');
      const chosen = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        env: { ...env, OMP_WAIT_POLICY: 'ACTIVE' },
      });
      expect(chosen.stdout.trim()).toBe('ACTIVE');
    });

    it("prints another package's error as one line, and its stack and code with --verbose", () => {
      const dir = mkdtempSync(join(tmpdir(), 'supernas-cli-'));
      try {
        const config = join(dir, 'config.json');
        writeFileSync(config, JSON.stringify({ training: { momentum: 1 } }));
        const plain = spawnSync(process.execPath, [builtCli, 'train', '--config', config], {
          encoding: 'utf8',
        });
        expect(plain.status).toBe(1);
        expect(plain.stderr).toBe(
          'error: Invalid trainer config: momentum is 1, expected a number in [0, 1)\n',
        );
        const verbose = spawnSync(
          process.execPath,
          [builtCli, '--verbose', 'train', '--config', config],
          { encoding: 'utf8' },
        );
        expect(verbose.status).toBe(1);
        expect(verbose.stderr).toMatch(
          /^error: TrainerConfigError: Invalid trainer config: momentum is 1, .*\n\s+at /,
        );
        expect(verbose.stderr).toContain('\ncode: trainer_config\n');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
