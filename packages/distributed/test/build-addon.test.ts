import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../scripts/build-addon.mjs', import.meta.url));

function run(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

describe('scripts/build-addon.mjs', () => {
  it('lets the install succeed, saying how to get MPI, when it does not build', () => {
    const result = run([], { SUPERNAS_MPI_SKIP_BUILD: '1' });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/MPI addon not built \(SUPERNAS_MPI_SKIP_BUILD=1\)/);
    expect(result.stderr).toMatch(/apt-get install -y openmpi-bin libopenmpi-dev/);
  });

  it('reports a missing Open MPI without failing the install', () => {
    // No pkg-config and no mpicc on PATH: node itself is run by absolute path.
    const result = run([], { PATH: '/nonexistent' });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(
      /MPI addon not built \(Open MPI was not found: neither `pkg-config --cflags --libs ompi-c` nor `mpicc --showme` found Open MPI\)/,
    );
  });

  it('fails with --strict, for developers and CI', () => {
    const result = run(['--strict'], { PATH: '/nonexistent' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cannot build the MPI addon: Open MPI was not found/);
  });
});
