import { type Remote, wrap } from 'comlink';
import type { SearchRequest, SearchResult } from './search-problem.js';
import type { SearchWorkerApi } from './search-worker.js';

/** A search worker's comlink proxy; `close()` terminates the worker. */
export interface SearchWorkerClient {
  readonly api: Remote<SearchWorkerApi>;
  close(): void;
}

/** Wraps a Worker running `exposeSearchWorker()`. */
export function connectSearchWorker(worker: Worker): SearchWorkerClient {
  return { api: wrap<SearchWorkerApi>(worker), close: () => worker.terminate() };
}

/**
 * Searches for the most accurate arch within a latency or MFLOPs budget on this device, in the
 * worker, so the page stays responsive.
 */
export function searchForDevice(
  client: SearchWorkerClient,
  request: SearchRequest,
): Promise<SearchResult> {
  return client.api.search(request);
}
