import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

export const python = process.env.SUPERNAS_PYTHON ?? '/usr/bin/python3';

/** The published AttentiveNAS predictor (see /work/shared/reference/README.md). */
export const referencePredictorFile =
  process.env.SUPERNAS_ACC_PREDICTOR ?? '/work/shared/reference/acc_predictor.joblib';

function pythonHas(modules: readonly string[]): boolean {
  const result = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
  return result.status === 0;
}

/**
 * `describe` for tests that need a Python tool (`sklearn`: scikit-learn + joblib) and some
 * files. When one is missing the block is skipped, unless `SUPERNAS_REQUIRE` names the
 * requirement (e.g. `SUPERNAS_REQUIRE=sklearn` on CI machines that must run it): then a test
 * fails and says what is missing.
 */
export function describeWithPython(
  requirement: 'sklearn',
  name: string,
  body: () => void,
  files: readonly string[] = [],
): void {
  const modules = { sklearn: ['sklearn', 'joblib', 'numpy'] }[requirement];
  const missingFile = files.find((file) => !existsSync(file));
  const problem =
    missingFile !== undefined
      ? `${missingFile} does not exist (set SUPERNAS_ACC_PREDICTOR)`
      : pythonHas(modules)
        ? undefined
        : `${python} cannot import ${modules.join(', ')}; install python3-sklearn or set SUPERNAS_PYTHON`;
  if (problem === undefined) {
    describe(name, body);
    return;
  }
  const required = (process.env.SUPERNAS_REQUIRE ?? '').split(/[\s,]+/).includes(requirement);
  if (required) {
    describe(name, () => {
      it(`has ${requirement} (SUPERNAS_REQUIRE=${process.env.SUPERNAS_REQUIRE})`, () => {
        throw new Error(problem);
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${problem})`, body);
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
