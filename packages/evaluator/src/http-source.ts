import type { ArtifactSource } from './artifact-source.js';
import { RunArtifactError } from './errors.js';

export interface HttpSourceOptions {
  /** The fetch to use (default `globalThis.fetch`); tests and service workers pass their own. */
  readonly fetch?: typeof globalThis.fetch;
}

/** A run folder served over http(s): `baseUrl` is the folder, with or without a trailing `/`. */
export function httpSource(baseUrl: string, options: HttpSourceOptions = {}): ArtifactSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const fetchFunction = options.fetch ?? globalThis.fetch.bind(globalThis);
  const get = async (path: string): Promise<Response> => {
    const url = new URL(path, new URL(base, globalThis.location?.href)).href;
    let response: Response;
    try {
      response = await fetchFunction(url);
    } catch (error) {
      throw new RunArtifactError(url, 'could not be fetched', { cause: error });
    }
    if (!response.ok)
      throw new RunArtifactError(url, `HTTP ${response.status} ${response.statusText}`);
    return response;
  };
  return {
    id: base,
    readBytes: async (path) => (await get(path)).arrayBuffer(),
    readText: async (path) => (await get(path)).text(),
  };
}
