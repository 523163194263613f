import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeRequiring } from './require-or-skip.js';

/** The Python that reference checks run with: Debian's, which has python3-torch / -sklearn. */
export const python = process.env.SUPERNAS_PYTHON ?? '/usr/bin/python3';

/** The repository root (this file is packages/test-utils/src/python-tools.ts there). */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The published AttentiveNAS predictor, from `shared/reference/` beside the checkout (CI lays a
 * copy of shared/ there too); `SUPERNAS_ACC_PREDICTOR` points elsewhere.
 */
export const referencePredictorFile =
  process.env.SUPERNAS_ACC_PREDICTOR ??
  fileURLToPath(new URL('../../../../shared/reference/acc_predictor.joblib', import.meta.url));

const pythonModules = { sklearn: ['sklearn', 'joblib', 'numpy'], torch: ['torch'] } as const;

/** Why `requirement` cannot run here (its modules or `files` missing), or undefined. */
export function missingPython(
  requirement: keyof typeof pythonModules,
  files: readonly string[] = [],
): string | undefined {
  const missingFile = files.find((file) => !existsSync(file));
  if (missingFile !== undefined) return `${missingFile} does not exist`;
  const modules = pythonModules[requirement];
  const result = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
  return result.status === 0
    ? undefined
    : `${python} cannot import ${modules.join(', ')}; install python3-${requirement === 'sklearn' ? 'sklearn' : 'torch'} or set SUPERNAS_PYTHON`;
}

/**
 * `describe` for tests that need a Python tool and some files: skipped (saying why) where one is
 * missing, failed where `SUPERNAS_REQUIRE` names the requirement.
 */
export function describeWithPython(
  requirement: keyof typeof pythonModules,
  name: string,
  body: () => void,
  files: readonly string[] = [],
): void {
  describeRequiring(requirement, missingPython(requirement, files), name, body);
}

/** Runs a script under tools/ with the test Python; returns its stdout. */
export function runTool(script: string, args: readonly string[]): string {
  return execFileSync(python, [`${repositoryRoot}tools/${script}`, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
