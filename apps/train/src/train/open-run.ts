import { resolve } from 'node:path';
import type { Dataset } from '@supernas/data';
import { loadSupernet, registerGradients, type Supernet } from '@supernas/elastic';
import { formatValue } from '@supernas/errors';
import {
  type ArchConfig,
  getSearchSpace,
  maxArch,
  minArch,
  type SearchSpace,
} from '@supernas/search-space';
import { type BackendChoice, type SelectedBackend, selectBackend } from '../backend.js';
import type { CliIo } from '../cli-io.js';
import { CliUsageError } from '../cli-usage-error.js';
import { readArchFile } from '../read-arch-file.js';
import type { TrainRunConfig } from './config.js';
import { loadRunData } from './load-dataset.js';
import { readRunCheckpoint, readRunConfig, requireCheckpoint } from './run-folder.js';

export interface OpenRun {
  readonly runDir: string;
  readonly config: TrainRunConfig;
  readonly space: SearchSpace;
  readonly supernet: Supernet;
  readonly step: number;
  readonly backend: SelectedBackend;
  readonly train: Dataset;
  /** Training examples the run kept out of training (`data.heldOut`): predictor and search data. */
  readonly heldOut: Dataset;
  readonly test: Dataset;
}

/** Opens a run folder written by `supernas train`: its config, last checkpoint and data. */
export async function openRun(
  runDir: string,
  backendChoice: BackendChoice | undefined,
  io: CliIo,
): Promise<OpenRun> {
  const dir = resolve(runDir);
  const action = `Cannot open run ${dir}`;
  const config = await readRunConfig(dir, action);
  requireCheckpoint(dir, action);
  const space = getSearchSpace(config.space);
  const backend = await selectBackend(backendChoice ?? config.backend, (line) =>
    io.stderr(`backend: ${line}\n`),
  );
  io.stderr(`backend: ${backend.description}\n`);
  await registerGradients();
  const loaded = await readRunCheckpoint(dir, action, (handler) =>
    loadSupernet(handler, { space }),
  );
  const { train, heldOut, test } = await loadRunData(config.data, config.seed);
  return {
    runDir: dir,
    config,
    space,
    supernet: loaded.supernet,
    step: loaded.step,
    backend,
    train,
    heldOut,
    test,
  };
}

/** The arch a command names: `--preset min|max` or `--arch FILE`. */
export async function resolveArchOption(
  space: SearchSpace,
  options: { arch?: string; preset?: string },
): Promise<{ label: string; arch: ArchConfig }> {
  if ((options.arch === undefined) === (options.preset === undefined)) {
    throw new CliUsageError('give exactly one of --arch FILE and --preset min|max');
  }
  if (options.preset !== undefined) {
    if (options.preset === 'min') return { label: 'min', arch: minArch(space) };
    if (options.preset === 'max') return { label: 'max', arch: maxArch(space) };
    throw new CliUsageError(`--preset is ${formatValue(options.preset)}, expected min or max`);
  }
  return { label: options.arch!, arch: await readArchFile(options.arch!, space) };
}
