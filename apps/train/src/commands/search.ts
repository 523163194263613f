import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPredictor, type Predictor } from '@supernas/predictors';
import {
  createEvolutionarySearch,
  type EvaluatedArch,
  type SearchConstraints,
  type SearchResult,
} from '@supernas/search';
import { getSearchSpace, presetNames, type SearchSpace } from '@supernas/search-space';
import { type Command, InvalidArgumentError } from 'commander';
import { type CliIo, processIo } from '../cli-io.js';
import { CliUsageError } from '../cli-usage-error.js';
import { parsePositiveInteger } from '../parse-options.js';
import { atomicWrite } from '../run/atomic-write.js';

interface SearchCommandOptions {
  readonly space: string;
  readonly predictor: string;
  readonly out: string;
  readonly maxMflops?: number;
  readonly minMflops?: number;
  readonly maxParams?: number;
  readonly minParams?: number;
  readonly population: number;
  readonly generations: number;
  readonly seed: number;
  readonly numClasses: number;
  readonly resume?: boolean;
}

function parseBound(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(`expected a number >= 0, got "${text}".`);
  }
  return value;
}

function parseSeed(text: string): number {
  const value = Number(text);
  if (!/^\s*-?\d+\s*$/.test(text) || !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError(`expected an integer, got "${text}".`);
  }
  return value;
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliUsageError(
      `Cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`Cannot parse ${what} ${path}: ${(error as Error).message}`);
  }
}

/** Forests and ridge load without tfjs; an MLP brings tfjs-core (and cpu, if no backend is set). */
async function readPredictor(path: string, space: SearchSpace): Promise<Predictor> {
  const json = await readJson(path, 'predictor file');
  if ((json as { kind?: unknown } | null)?.kind !== 'mlp') return loadPredictor(json, { space });
  const tf = await import('@tensorflow/tfjs-core');
  if (!tf.engine().backendName) {
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
  }
  const mlp = await import('@supernas/predictors/mlp');
  return mlp.loadPredictor(json, { space });
}

const entryJson = (entry: EvaluatedArch) => ({
  key: entry.key,
  fitness: entry.fitness,
  mflops: entry.mflops,
  params: entry.params,
  arch: entry.arch,
});

/**
 * Searches a space for the arch with the best predicted accuracy under the bounds; writes
 * `arch.json` (the chosen arch, readable by `supernas flops --arch`), `pareto.json` (the fronts
 * of predicted accuracy against MFLOPs and params) and `search-state.json` after every
 * generation, which `--resume` continues from.
 */
export async function runSearchCommand(
  options: SearchCommandOptions,
  io: CliIo = processIo,
): Promise<SearchResult> {
  const space = getSearchSpace(options.space);
  const predictor = await readPredictor(options.predictor, space);
  const constraints: SearchConstraints = {
    ...(options.maxMflops !== undefined || options.minMflops !== undefined
      ? { mflops: { min: options.minMflops, max: options.maxMflops } }
      : {}),
    ...(options.maxParams !== undefined || options.minParams !== undefined
      ? { params: { min: options.minParams, max: options.maxParams } }
      : {}),
  };
  if (Object.keys(constraints).length === 0) {
    throw new CliUsageError(
      'search: give a budget: --max-mflops, --min-mflops, --max-params or --min-params',
    );
  }
  await mkdir(options.out, { recursive: true });
  const statePath = join(options.out, 'search-state.json');
  const start = performance.now();
  const search = createEvolutionarySearch({
    space,
    fitness: predictor,
    numClasses: options.numClasses,
    constraints,
    populationSize: options.population,
    generations: options.generations,
    seed: options.seed,
    onGeneration: ({ generation, generations, evaluated, best }) => {
      const seconds = (performance.now() - start) / 1000;
      io.stdout(
        `generation ${generation}/${generations}: ${evaluated} archs evaluated, best ${best.fitness.toFixed(2)} at ${best.mflops.toFixed(2)} MFLOPs (${seconds.toFixed(1)} s)\n`,
      );
    },
  });
  if (options.resume) {
    if (!existsSync(statePath)) throw new CliUsageError(`--resume: no ${statePath} to resume from`);
    search.resume(
      (await readJson(statePath, 'search state')) as Parameters<typeof search.resume>[0],
    );
    io.stdout(`resuming after generation ${search.generation}\n`);
  }
  while (search.generation < search.generations) {
    await search.step();
    await atomicWrite(statePath, JSON.stringify(search.state()));
  }
  const result = search.result();
  await atomicWrite(
    join(options.out, 'pareto.json'),
    `${JSON.stringify(
      {
        format: 'supernas-pareto',
        formatVersion: 1,
        space: space.name,
        objective: `predicted accuracy (${predictor.kind} predictor ${options.predictor})`,
        constraints,
        numClasses: options.numClasses,
        evaluated: result.evaluated,
        fronts: {
          mflops: result.paretoFronts.mflops.map(entryJson),
          params: result.paretoFronts.params.map(entryJson),
        },
      },
      null,
      2,
    )}\n`,
  );
  const { best } = result;
  await atomicWrite(
    join(options.out, 'arch.json'),
    `${JSON.stringify(
      {
        format: 'supernas-arch',
        formatVersion: 1,
        space: space.name,
        ...best.arch,
        mflops: best.mflops,
        params: best.params,
        predictedAccuracy: best.fitness,
      },
      null,
      2,
    )}\n`,
  );
  return result;
}

/** `supernas search --space NAME --predictor FILE --max-mflops X --out DIR`. */
export function registerSearchCommand(program: Command, io: CliIo = processIo): void {
  program
    .command('search')
    .description(
      'evolutionary search for the arch with the best predicted accuracy under a FLOPs / params budget',
    )
    .requiredOption('--space <name>', `search space, one of: ${presetNames.join(', ')}`)
    .requiredOption(
      '--predictor <file>',
      'predictor JSON (supernas predictor import, or a fitted one)',
    )
    .requiredOption('--out <dir>', 'folder for arch.json, pareto.json and search-state.json')
    .option('--max-mflops <x>', 'upper bound on MFLOPs', parseBound)
    .option('--min-mflops <x>', 'lower bound on MFLOPs', parseBound)
    .option('--max-params <n>', 'upper bound on parameters (a count)', parseBound)
    .option('--min-params <n>', 'lower bound on parameters (a count)', parseBound)
    .option('--population <n>', 'parents kept per generation', parsePositiveInteger, 64)
    .option(
      '--generations <n>',
      'generations after the initial population',
      parsePositiveInteger,
      20,
    )
    .option('--seed <n>', 'random seed', parseSeed, 0)
    .option(
      '--num-classes <n>',
      'classifier outputs, for FLOPs and params',
      parsePositiveInteger,
      1000,
    )
    .option('--resume', 'continue from OUT/search-state.json')
    .action(async (options: SearchCommandOptions) => {
      const { best, paretoFronts, evaluated } = await runSearchCommand(options, io);
      io.stdout(
        `best: predicted ${best.fitness.toFixed(2)} at ${best.mflops.toFixed(2)} MFLOPs, ${best.params} params (${evaluated} archs evaluated; MFLOPs front of ${paretoFronts.mflops.length})\n` +
          `wrote ${join(options.out, 'arch.json')} and ${join(options.out, 'pareto.json')}\n`,
      );
    });
}
