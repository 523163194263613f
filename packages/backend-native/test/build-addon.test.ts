import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../scripts/build-addon.mjs', import.meta.url));

function run(args: string[]) {
  return spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SUPERNAS_NATIVE_SKIP_BUILD: '1' },
  });
}

describe('scripts/build-addon.mjs', () => {
  it('lets the install succeed, saying how to get the addon, when it does not build', () => {
    const result = run([]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/native addon not built \(SUPERNAS_NATIVE_SKIP_BUILD=1\)/);
    expect(result.stderr).toMatch(/apt-get install -y libdnnl-dev/);
  });

  it('fails with --strict, for developers and CI', () => {
    const result = run(['--strict']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cannot build the native addon/);
  });
});
