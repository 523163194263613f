import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importSklearnForest, PredictorError } from '@supernas/predictors';
import { createRng, getSearchSpace, presetNames, sampleArch } from '@supernas/search-space';
import type { Command } from 'commander';
import { type CliIo, processIo } from '../cli-io.js';
import { atomicWrite } from '../run/atomic-write.js';

interface PredictorImportOptions {
  readonly space: string;
  readonly out: string;
  readonly checks: number;
}

/** `tools/import_sklearn_forest.py` of this repository (same depth from src/ and dist/). */
export function importSklearnForestTool(): string {
  return fileURLToPath(new URL('../../../../tools/import_sklearn_forest.py', import.meta.url));
}

/** The Python that has scikit-learn: Debian's, unless SUPERNAS_PYTHON says otherwise. */
export function sklearnPython(env: NodeJS.ProcessEnv = process.env): string {
  return env.SUPERNAS_PYTHON ?? '/usr/bin/python3';
}

function runTool(python: string, args: readonly string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    child.on('error', (error) =>
      fail(
        new PredictorError(
          `cannot run ${python} (${error.message}); install scikit-learn (apt-get install python3-sklearn) or set SUPERNAS_PYTHON`,
          { code: 'sklearn_unavailable', value: python },
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) return done();
      const lines = stderr.split('\n').filter((line) => line.startsWith('error: '));
      const reason =
        lines.at(-1)?.replace(/^error: /, '') ??
        (stderr.trim().split('\n').at(-1) || `exit status ${code}`);
      fail(
        new PredictorError(`import_sklearn_forest.py: ${reason}`, {
          code: 'sklearn_import_failed',
          value: args[0],
        }),
      );
    });
  });
}

/**
 * Converts a pickled scikit-learn forest regressor (e.g. AttentiveNAS' `acc_predictor.joblib`)
 * into a supernas predictor file, and checks on `checks` random archs of the space that our
 * trees predict what scikit-learn predicts.
 */
export async function importSklearnPredictor(
  file: string,
  options: PredictorImportOptions,
): Promise<{
  trees: number;
  nodes: number;
  checked: number;
  worst: number;
  sklearnVersion: string;
}> {
  const space = getSearchSpace(options.space);
  const tool = importSklearnForestTool();
  if (!existsSync(tool)) {
    throw new PredictorError(`the converter ${tool} is missing; run from a supernas checkout`, {
      code: 'sklearn_import_failed',
      value: tool,
    });
  }
  const dir = await mkdtemp(join(tmpdir(), 'supernas-sklearn-'));
  try {
    const rng = createRng(0);
    const archs = Array.from({ length: options.checks }, () => sampleArch(space, rng));
    await writeFile(join(dir, 'archs.json'), JSON.stringify(archs));
    const args = [tool, resolve(file), '--out', join(dir, 'dump.json')];
    await runTool(
      sklearnPython(),
      options.checks > 0 ? [...args, '--archs', join(dir, 'archs.json')] : args,
    );
    const dump = JSON.parse(await readFile(join(dir, 'dump.json'), 'utf8'));
    const forest = importSklearnForest(dump, space);
    const predicted = forest.predict(archs);
    let worst = 0;
    (dump.checks ?? []).forEach((check: { prediction: number }, i: number) => {
      const difference =
        Math.abs(predicted[i]! - check.prediction) / Math.max(Math.abs(check.prediction), 1e-12);
      worst = Math.max(worst, difference);
    });
    if (worst > 1e-6) {
      throw new PredictorError(
        `the imported forest disagrees with scikit-learn by ${worst.toExponential(2)} (relative) on random archs; not written`,
        { code: 'sklearn_import_mismatch', value: worst },
      );
    }
    const out = resolve(options.out);
    if (!existsSync(dirname(out))) {
      throw new PredictorError(`the folder of --out ${options.out} does not exist`, {
        code: 'invalid_output',
        value: options.out,
      });
    }
    await atomicWrite(out, JSON.stringify(forest.toJSON()));
    return {
      ...forest.size,
      checked: archs.length,
      worst,
      sklearnVersion: String(dump.sklearnVersion),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `supernas predictor import FILE --space attentivenas --out predictor.json`. */
export function registerPredictorImportCommand(program: Command, io: CliIo = processIo): void {
  const predictor =
    program.commands.find((command) => command.name() === 'predictor') ??
    program.command('predictor').description('accuracy predictors: import, build');
  predictor
    .command('import')
    .description(
      'convert a pickled scikit-learn forest regressor (e.g. AttentiveNAS acc_predictor.joblib) into a supernas predictor JSON (needs scikit-learn: /usr/bin/python3 or SUPERNAS_PYTHON; unpickling runs code: trusted files only)',
    )
    .argument('<file>', '.joblib / pickle file')
    .requiredOption(
      '--space <name>',
      `search space the predictor reads, one of: ${presetNames.join(', ')}`,
    )
    .requiredOption('--out <file>', 'predictor JSON to write')
    .option(
      '--checks <n>',
      'random archs on which to compare with scikit-learn',
      (text) => {
        const value = Number(text);
        if (!Number.isInteger(value) || value < 0)
          throw new PredictorError(`--checks must be an integer >= 0, got '${text}'`, {
            code: 'invalid_option',
            value: text,
          });
        return value;
      },
      256,
    )
    .action(async (file: string, options: PredictorImportOptions) => {
      const result = await importSklearnPredictor(file, options);
      io.stdout(
        `wrote ${options.out}: random forest of ${result.trees} trees (${result.nodes} nodes) from scikit-learn ${result.sklearnVersion}, space ${options.space}; ` +
          `matches scikit-learn on ${result.checked} random archs (max relative difference ${result.worst.toExponential(1)})\n`,
      );
    });
}
