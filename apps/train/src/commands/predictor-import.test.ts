import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPredictor, publishedAttentivenasModels } from '@supernas/predictors';
import { attentivenasSpace } from '@supernas/search-space';
import { describeRequiring, missingPython, referencePredictorFile } from '@supernas/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureIo } from '../cli-io.js';
import { runCli } from '../program.js';

// The reference forest counts as part of the requirement: without it there is nothing to import.
const reference = referencePredictorFile;
const missing = missingPython('sklearn', [reference]);

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

describeRequiring('sklearn', missing, 'supernas predictor import', () => {
  it('converts the reference forest, checked against scikit-learn on random archs', async () => {
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
  });

  it('says in one line what is wrong with a file that is not a forest', async () => {
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
  });
});
