import { RunArtifactError } from './errors.js';

/**
 * Where a run's files come from: a web server, files the user picked, or IndexedDB. Paths are
 * relative to the run folder, with `/` separators (`subnets/min/model.json`).
 */
export interface ArtifactSource {
  /** Names the source in cache keys and messages (a base URL, `files:<folder>`). */
  readonly id: string;
  readBytes(path: string): Promise<ArrayBuffer>;
  readText(path: string): Promise<string>;
  /** Every path the source holds, when it can tell (picked files can; a web server cannot). */
  list?(): readonly string[];
}

/** Joins a run-relative path onto a folder path, resolving `./` and `../`. */
export function joinPath(folder: string, path: string): string {
  const parts =
    folder === '' ? [] : folder.split('/').filter((part) => part !== '' && part !== '.');
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** Reads JSON through a source, with an error naming the file when it does not parse. */
export async function readJson<T = unknown>(source: ArtifactSource, path: string): Promise<T> {
  const text = await source.readText(path);
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new RunArtifactError(`${source.id}/${path}`, 'is not valid JSON', { cause: error });
  }
}
