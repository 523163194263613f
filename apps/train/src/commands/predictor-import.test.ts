import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPredictor, publishedAttentivenasModels } from '@supernas/predictors';
import { attentivenasSpace } from '@supernas/search-space';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.js';
import { runCli } from '../program.js';
import { sklearnPython } from './predictor-import.js';

const reference =
  process.env.SUPERNAS_ACC_PREDICTOR ?? '/work/shared/reference/acc_predictor.joblib';
const python = sklearnPython();
// The reference forest counts as part of the requirement: without it there is nothing to import.
const hasSklearn =
  existsSync(reference) &&
  spawnSync(python, ['-c', 'import sklearn, joblib'], { stdio: 'ignore' }).status === 0;
const required = (process.env.SUPERNAS_REQUIRE ?? '').split(/[\s,]+/).includes('sklearn');

async function run(args: string[]) {
  const io = captureIo();
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'supernas-predictor-import-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('supernas predictor import', () => {
  it.runIf(!hasSklearn && required)('has scikit-learn (SUPERNAS_REQUIRE=sklearn)', () => {
    throw new Error(
      `${python} cannot import sklearn, joblib, or ${reference} is missing; install python3-sklearn or set SUPERNAS_PYTHON / SUPERNAS_ACC_PREDICTOR`,
    );
  });

  it.runIf(hasSklearn)(
    'converts the reference forest, checked against scikit-learn on random archs',
    async () => {
      const out = join(folder, 'predictor.json');
      const {
        code,
        out: stdout,
        err,
      } = await run([
        'predictor',
        'import',
        reference,
        '--space',
        'attentivenas',
        '--out',
        out,
        '--checks',
        '64',
      ]);
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(stdout).toMatch(
        /wrote .*predictor.json: random forest of 100 trees \(64284 nodes\) from scikit-learn [\d.]+, space attentivenas; matches scikit-learn on 64 random archs \(max relative difference 0.0e\+0\)/,
      );
      const predictor = loadPredictor(JSON.parse(await readFile(out, 'utf8')), {
        space: attentivenasSpace,
      });
      const [a6] = predictor.predict([publishedAttentivenasModels.at(-1)!.arch]);
      expect(a6).toBeCloseTo(71.6198, 4);
    },
  );

  it.runIf(hasSklearn)(
    'says in one line what is wrong with a file that is not a forest',
    async () => {
      const { code, err } = await run([
        'predictor',
        'import',
        join(folder, 'missing.joblib'),
        '--space',
        'attentivenas',
        '--out',
        join(folder, 'never.json'),
      ]);
      expect(code).toBe(1);
      expect(err).toBe(
        `error: import_sklearn_forest.py: model file ${join(folder, 'missing.joblib')} does not exist\n`,
      );
    },
  );
});
