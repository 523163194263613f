import { execFileSync, spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';

export const python = process.env.SUPERNAS_PYTHON ?? '/usr/bin/python3';

function pythonHas(modules: readonly string[]): boolean {
  const result = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
  return result.status === 0;
}

/**
 * `describe` for tests that need a Python tool (`sklearn`: scikit-learn + joblib). When the tool
 * is missing the block is skipped, unless `SUPERNAS_REQUIRE` names it (e.g. `SUPERNAS_REQUIRE=sklearn`
 * on CI machines that must run it): then a test fails and says what is missing.
 */
export function describeWithPython(requirement: 'sklearn', name: string, body: () => void): void {
  const modules = { sklearn: ['sklearn', 'joblib', 'numpy'] }[requirement];
  if (pythonHas(modules)) {
    describe(name, body);
    return;
  }
  const required = (process.env.SUPERNAS_REQUIRE ?? '').split(/[\s,]+/).includes(requirement);
  if (required) {
    describe(name, () => {
      it(`has ${requirement} (SUPERNAS_REQUIRE=${process.env.SUPERNAS_REQUIRE})`, () => {
        throw new Error(
          `${python} cannot import ${modules.join(', ')}; install python3-sklearn or set SUPERNAS_PYTHON`,
        );
      });
    });
  } else {
    describe.skip(`${name} (needs ${requirement} in ${python})`, body);
  }
}

/** Runs a script under tools/ with the test Python; returns stdout. */
export function runTool(script: string, args: readonly string[]): string {
  const path = new URL(`../../../../tools/${script}`, import.meta.url).pathname;
  return execFileSync(python, [path, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
