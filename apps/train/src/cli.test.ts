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

    it('lets OpenMP threads spin briefly, then sleep, and follow the load, unless the user chose', () => {
      const defaults = fileURLToPath(new URL('../dist/openmp-defaults.js', import.meta.url));
      const script = `await import(${JSON.stringify(defaults)}); const e = process.env; console.log([e.OMP_WAIT_POLICY, e.GOMP_SPINCOUNT, e.SUPERNAS_ADAPTIVE_THREADS].join('|'))`;
      const env = { ...process.env };
      for (const name of ['OMP_WAIT_POLICY', 'GOMP_SPINCOUNT', 'SUPERNAS_ADAPTIVE_THREADS'])
        delete env[name];
      const run = (extra: Record<string, string>) =>
        spawnSync(process.execPath, ['--input-type=module', '-e', script], {
          encoding: 'utf8',
          env: { ...env, ...extra },
        }).stdout.trim();
      expect(run({})).toBe('PASSIVE|10000|1');
      expect(run({ OMP_WAIT_POLICY: 'ACTIVE' })).toBe('ACTIVE||1');
      expect(run({ GOMP_SPINCOUNT: '0' })).toBe('|0|1');
      expect(run({ SUPERNAS_ADAPTIVE_THREADS: '0' })).toBe('PASSIVE|10000|0');
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
