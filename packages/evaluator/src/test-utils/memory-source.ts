import type { ArtifactSource } from '../artifact-source.js';
import { RunArtifactError } from '../errors.js';

/** A source over files held in memory, for tests; `reads` counts reads per path. */
export function memorySource(
  files: ReadonlyMap<string, string | ArrayBuffer>,
  options: { readonly listable?: boolean; readonly id?: string } = {},
): ArtifactSource & { readonly reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const bytes = (path: string): ArrayBuffer => {
    const value = files.get(path);
    reads.set(path, (reads.get(path) ?? 0) + 1);
    if (value === undefined) throw new RunArtifactError(`memory:${path}`, 'does not exist');
    return typeof value === 'string'
      ? (new TextEncoder().encode(value).buffer as ArrayBuffer)
      : value.slice(0);
  };
  return {
    id: options.id ?? 'memory:/',
    reads,
    readBytes: async (path) => bytes(path),
    readText: async (path) => new TextDecoder().decode(bytes(path)),
    ...(options.listable === true ? { list: () => [...files.keys()] } : {}),
  };
}
