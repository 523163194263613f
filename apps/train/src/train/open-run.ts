import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Dataset } from '@supernas/data';
import { loadSupernet, registerGradients, type Supernet } from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
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
import { parseTrainConfig, type TrainRunConfig } from './config.js';
import { loadRunDataset } from './load-dataset.js';

export interface OpenRun {
  readonly runDir: string;
  readonly config: TrainRunConfig;
  readonly space: SearchSpace;
  readonly supernet: Supernet;
  readonly step: number;
  readonly backend: SelectedBackend;
  readonly train: Dataset;
  readonly test: Dataset;
}

/** Opens a run folder written by `supernas train`: its config, last checkpoint and data. */
export async function openRun(
  runDir: string,
  backendChoice: BackendChoice | undefined,
  io: CliIo,
): Promise<OpenRun> {
  const dir = resolve(runDir);
  const configPath = join(dir, 'config.json');
  const text = await readFile(configPath, 'utf8').catch(() => {
    throw new CliUsageError(`${configPath} does not exist: is ${dir} a supernas run folder?`);
  });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`${configPath} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const config = parseTrainConfig(raw, configPath);
  const checkpointPath = join(dir, 'checkpoint', 'model.json');
  if (!existsSync(checkpointPath)) {
    throw new CliUsageError(
      `${dir} has no checkpoint (${checkpointPath} does not exist): train it with supernas train first`,
    );
  }
  const space = getSearchSpace(config.space);
  const backend = await selectBackend(backendChoice ?? config.backend, (line) =>
    io.stderr(`backend: ${line}\n`),
  );
  io.stderr(`backend: ${backend.description}\n`);
  await registerGradients();
  const loaded = await loadSupernet(fileSystemHandler(join(dir, 'checkpoint')), { space });
  const [train, test] = await Promise.all([
    loadRunDataset(config.data, 'train', config.seed),
    loadRunDataset(config.data, 'test', config.seed),
  ]);
  return {
    runDir: dir,
    config,
    space,
    supernet: loaded.supernet,
    step: loaded.step,
    backend,
    train,
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
