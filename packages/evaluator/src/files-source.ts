import type { ArtifactSource } from './artifact-source.js';
import { RunArtifactError } from './errors.js';

/** A file with its path inside the picked folder (`webkitRelativePath`, or a drop's full path). */
export interface PickedFile {
  readonly path: string;
  readonly file: Blob;
}

/**
 * A run folder the user picked or dropped. Paths are taken relative to the folder that holds
 * `web-run.json` (or, without one, to the common top folder of the files), so picking the run
 * folder itself or its parent both work.
 */
export function filesSource(files: Iterable<PickedFile>, name = 'picked'): ArtifactSource {
  const entries = [...files].map(({ path, file }) => ({
    path: path.replace(/\\/g, '/').replace(/^\/+/, ''),
    file,
  }));
  const root = rootOf(entries.map((entry) => entry.path));
  const byPath = new Map<string, Blob>();
  for (const entry of entries) {
    if (entry.path.startsWith(root)) byPath.set(entry.path.slice(root.length), entry.file);
  }
  const get = (path: string): Blob => {
    const file = byPath.get(path);
    if (file === undefined)
      throw new RunArtifactError(`files:${name}/${path}`, 'is not among the picked files');
    return file;
  };
  return {
    id: `files:${name}/${root}`,
    readBytes: async (path) => get(path).arrayBuffer(),
    readText: async (path) => get(path).text(),
    list: () => [...byPath.keys()],
  };
}

function rootOf(paths: readonly string[]): string {
  const manifest = paths
    .filter((path) => path === 'web-run.json' || path.endsWith('/web-run.json'))
    .sort((a, b) => a.length - b.length)[0];
  if (manifest !== undefined) return manifest.slice(0, manifest.length - 'web-run.json'.length);
  const first = paths[0];
  if (first === undefined || !first.includes('/')) return '';
  const top = `${first.slice(0, first.indexOf('/'))}/`;
  return paths.every((path) => path.startsWith(top)) ? top : '';
}
