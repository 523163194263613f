import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCheckpoint } from '@supernas/elastic';
import { fileSystemHandler, ModelFileError } from '@supernas/elastic/node';
import { CliUsageError } from '../cli-usage-error.js';
import { RunFileError } from '../run/run-file-error.js';
import { parseTrainConfig, type TrainRunConfig } from './config.js';

/** The files of a run folder written by `supernas train`. */
export function runFiles(runDir: string) {
  return {
    config: join(runDir, 'config.json'),
    metrics: join(runDir, 'metrics.jsonl'),
    checkpoint: join(runDir, 'checkpoint'),
    checkpointModel: join(runDir, 'checkpoint', 'model.json'),
    results: join(runDir, 'results.json'),
  };
}

/** The run's own config.json, validated; `action` says what needed it (`Cannot resume`). */
export async function readRunConfig(runDir: string, action: string): Promise<TrainRunConfig> {
  const path = runFiles(runDir).config;
  const text = await readFile(path, 'utf8').catch(() => {
    throw new CliUsageError(
      `${action}: ${path} does not exist (is ${runDir} a supernas run folder?)`,
    );
  });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`${action}: ${path} is not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  return parseTrainConfig(withoutHeldOutDefault(raw), path);
}

/** A run from before `data.heldOut` trained on the whole training split: it held none out. */
function withoutHeldOutDefault(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object') return raw;
  const data = (raw as { data?: unknown }).data;
  if (data !== undefined && (data === null || typeof data !== 'object')) return raw;
  if (data !== undefined && 'heldOut' in data) return raw;
  return { ...raw, data: { ...(data as object | undefined), heldOut: 0 } };
}

/**
 * Fails with one line when the run has no checkpoint: it stopped (or was stopped) before its
 * first `training.checkpointEvery` steps, so there is nothing to continue or evaluate.
 */
export function requireCheckpoint(runDir: string, action: string): void {
  const path = runFiles(runDir).checkpointModel;
  if (!existsSync(path)) {
    throw new RunFileError(
      `${action}: ${runDir} has no checkpoint (${path} does not exist): the run stopped before its first checkpoint; start it again`,
      path,
    );
  }
}

/**
 * Loads the run's checkpoint (or, through `load`, the supernet in it), reporting a checkpoint
 * that cannot be read as one line naming the run.
 */
export async function readRunCheckpoint<T>(
  runDir: string,
  action: string,
  load: (handler: ReturnType<typeof fileSystemHandler>) => Promise<T> = (handler) =>
    loadCheckpoint(handler) as Promise<T>,
): Promise<T> {
  requireCheckpoint(runDir, action);
  try {
    return await load(fileSystemHandler(runFiles(runDir).checkpoint));
  } catch (error) {
    // The elastic package's IO errors describe bad files, not bugs.
    if (error instanceof ModelFileError)
      throw new RunFileError(`${action}: ${error.message}`, error.path, error);
    throw error;
  }
}

/**
 * Removes what a save killed half-way leaves beside the checkpoint: temp files (`.*.partial`)
 * and a weights file that model.json does not name (written, but never committed). The
 * checkpoint itself is untouched. Returns the names removed.
 */
export async function removeCheckpointLeftovers(runDir: string): Promise<string[]> {
  const { checkpoint, checkpointModel } = runFiles(runDir);
  const model = JSON.parse(await readFile(checkpointModel, 'utf8')) as {
    weightsManifest?: Array<{ paths?: string[] }>;
  };
  const referenced = new Set((model.weightsManifest ?? []).flatMap((group) => group.paths ?? []));
  const leftovers = (await readdir(checkpoint)).filter(
    (name) =>
      (name.startsWith('.') && name.endsWith('.partial')) ||
      (/^weights\.[0-9a-f]+\.bin$/.test(name) && !referenced.has(name)),
  );
  await Promise.all(leftovers.map((name) => rm(join(checkpoint, name), { force: true })));
  return leftovers;
}
