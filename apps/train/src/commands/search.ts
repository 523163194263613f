import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createEvolutionarySearch,
  type SearchConstraints,
  type SearchResult,
} from '@supernas/search';
import { getSearchSpace, presetNames } from '@supernas/search-space';
import { type Command, InvalidArgumentError } from 'commander';
import { type BackendChoice, backendChoices, parseBackendChoice } from '../backend.js';
import { type CliIo, processIo } from '../cli-io.js';
import { CliUsageError } from '../cli-usage-error.js';
import { parsePositiveInteger } from '../parse-options.js';
import { atomicWrite } from '../run/atomic-write.js';
import { endJobOnError } from '../train/distributed.js';
import { startTrainingJob } from '../train/start-training-job.js';
import { readJson, readPredictor, writeSearchFiles } from './search-files.js';
import { runRunSearch } from './search-run.js';

interface SearchCommandOptions {
  readonly space: string;
  readonly predictor: string;
  readonly out: string;
  readonly numClasses: number;
  readonly maxMflops?: number;
  readonly minMflops?: number;
  readonly maxParams?: number;
  readonly minParams?: number;
  readonly population: number;
  readonly generations: number;
  readonly seed: number;
  readonly resume?: boolean;
}

interface SearchCliOptions extends Partial<Omit<SearchCommandOptions, 'numClasses'>> {
  readonly run?: string;
  readonly numClasses?: number;
  readonly fitness: 'predictor' | 'eval';
  readonly eval?: boolean;
  readonly random?: number;
  readonly calibrationBatches?: number;
  readonly holdoutLimit?: number;
  readonly backend?: BackendChoice;
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

/** The budget the options give; at least one bound is required. */
function constraintsOf(options: {
  readonly maxMflops?: number | undefined;
  readonly minMflops?: number | undefined;
  readonly maxParams?: number | undefined;
  readonly minParams?: number | undefined;
}): SearchConstraints {
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
  return constraints;
}

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
  const constraints = constraintsOf(options);
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
  await writeSearchFiles(options.out, {
    space,
    objective: `predicted accuracy (${predictor.kind} predictor ${options.predictor})`,
    constraints,
    numClasses: options.numClasses,
    result,
  });
  return result;
}

/**
 * `supernas search --run DIR --max-mflops X` (the run's space, predictor or held-out evaluation)
 * or `supernas search --space NAME --predictor FILE --out DIR --max-mflops X`.
 */
export function registerSearchCommand(program: Command, io: CliIo = processIo): void {
  program
    .command('search')
    .description(
      'evolutionary search for the arch with the best accuracy under a FLOPs / params budget: of a trained run (--run: its predictor, or held-out evaluation with --fitness eval), or of a space with a predictor file',
    )
    .option(
      '--run <dir>',
      'a run folder written by supernas train (space, predictor.json, held-out images)',
    )
    .option('--space <name>', `without --run: search space, one of: ${presetNames.join(', ')}`)
    .option(
      '--predictor <file>',
      'without --run: predictor JSON (supernas predictor import / build)',
    )
    .option(
      '--out <dir>',
      'folder for arch.json, pareto.json and search-state.json (with --run: default DIR/search)',
    )
    .option('--max-mflops <x>', 'upper bound on MFLOPs', parseBound)
    .option('--min-mflops <x>', 'lower bound on MFLOPs', parseBound)
    .option('--max-params <n>', 'upper bound on parameters (a count)', parseBound)
    .option('--min-params <n>', 'lower bound on parameters (a count)', parseBound)
    .option(
      '--fitness <kind>',
      "with --run: predictor (the run's predictor.json) or eval (BN calibration + held-out top-1)",
      (text: string) => {
        if (text !== 'predictor' && text !== 'eval')
          throw new CliUsageError(`--fitness is '${text}', expected predictor or eval`);
        return text;
      },
      'predictor',
    )
    .option('--eval', "with --run: measure the chosen arch's held-out and test top-1")
    .option(
      '--random <n>',
      'with --run: also evaluate N random archs under the budget (a baseline)',
      parsePositiveInteger,
    )
    .option(
      '--calibration-batches <k>',
      "with --run: BN calibration batches (default: the run's)",
      parsePositiveInteger,
    )
    .option(
      '--holdout-limit <m>',
      'with --run: evaluate on M held-out images (seeded)',
      parsePositiveInteger,
    )
    .option(
      '--backend <name>',
      `with --run: tfjs backend: ${backendChoices.join(' | ')}`,
      parseBackendChoice,
    )
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
      'without --run: classifier outputs, for FLOPs and params (default 1000)',
      parsePositiveInteger,
    )
    .option('--resume', 'continue from OUT/search-state.json')
    .action(async (options: SearchCliOptions) => {
      if (options.run !== undefined) {
        if (
          options.space !== undefined ||
          options.predictor !== undefined ||
          options.numClasses !== undefined
        )
          throw new CliUsageError(
            '--run takes the space, the classes and the predictor from the run: do not combine it with --space, --predictor or --num-classes',
          );
        const constraints = constraintsOf(options);
        const job = startTrainingJob(io, {
          sharing: 'the archs of each generation are shared out',
        });
        try {
          await runRunSearch(
            {
              run: options.run,
              constraints,
              population: options.population ?? 64,
              generations: options.generations ?? 20,
              seed: options.seed ?? 0,
              fitness: options.fitness,
              ...pick(options, [
                'out',
                'eval',
                'random',
                'calibrationBatches',
                'holdoutLimit',
                'backend',
                'resume',
              ]),
            },
            io,
            job,
          );
          await job.collective.close();
        } catch (error) {
          endJobOnError(job, error, program.opts<{ verbose?: boolean }>().verbose === true);
          throw error;
        }
        return;
      }
      if (
        options.space === undefined ||
        options.predictor === undefined ||
        options.out === undefined
      )
        throw new CliUsageError(
          'search: give --run DIR, or --space NAME --predictor FILE --out DIR',
        );
      if (options.fitness !== 'predictor' || options.eval || options.random !== undefined)
        throw new CliUsageError(
          '--fitness eval, --eval and --random need a trained run: give --run DIR',
        );
      const { best, paretoFronts, evaluated } = await runSearchCommand(
        {
          ...(options as SearchCommandOptions),
          numClasses: options.numClasses ?? 1000,
        },
        io,
      );
      io.stdout(
        `best: predicted ${best.fitness.toFixed(2)} at ${best.mflops.toFixed(2)} MFLOPs, ${best.params} params (${evaluated} archs evaluated; MFLOPs front of ${paretoFronts.mflops.length})\n` +
          `wrote ${join(options.out, 'arch.json')} and ${join(options.out, 'pareto.json')}\n`,
      );
    });
}

/** The options of `keys` that were given. */
function pick<T extends object, K extends keyof T>(
  options: T,
  keys: readonly K[],
): Partial<Pick<T, K>> {
  return Object.fromEntries(
    keys.filter((key) => options[key] !== undefined).map((key) => [key, options[key]]),
  ) as Partial<Pick<T, K>>;
}
