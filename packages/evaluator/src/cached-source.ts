import { createStore, get, set, type UseStore } from 'idb-keyval';
import type { ArtifactSource } from './artifact-source.js';

let defaultStore: UseStore | undefined;

/** The IndexedDB store the evaluator caches run files in (database `supernas-evaluator`). */
export function artifactStore(): UseStore {
  defaultStore ??= createStore('supernas-evaluator-artifacts', 'files');
  return defaultStore;
}

/**
 * Wraps a source with an IndexedDB cache keyed by source id and path: a file is fetched once,
 * then read from IndexedDB, also offline. `refresh: true` refetches and overwrites.
 */
export function cachedSource(
  source: ArtifactSource,
  options: { readonly store?: UseStore; readonly refresh?: boolean } = {},
): ArtifactSource {
  const store = options.store ?? artifactStore();
  const readBytes = async (path: string): Promise<ArrayBuffer> => {
    const key = `${source.id}|${path}`;
    if (options.refresh !== true) {
      const cached = await get<ArrayBuffer>(key, store);
      if (cached !== undefined) return cached;
    }
    const bytes = await source.readBytes(path);
    await set(key, bytes, store);
    return bytes;
  };
  return {
    id: source.id,
    readBytes,
    readText: async (path) => new TextDecoder().decode(await readBytes(path)),
    ...(source.list === undefined ? {} : { list: source.list.bind(source) }),
  };
}
