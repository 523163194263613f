import { expose } from 'comlink';
import {
  type PredictorLoader,
  runSearch,
  type SearchRequest,
  type SearchResult,
} from './search-problem.js';

/** What the search worker exposes through comlink. */
export interface SearchWorkerApi {
  search(request: SearchRequest): Promise<SearchResult>;
}

/**
 * Call inside a Web Worker module: exposes `runSearch` to the page through comlink. Pass
 * `loadPredictor` from `@supernas/predictors` to let searches score archs drawn from the space.
 */
export function exposeSearchWorker(
  options: { readonly loadPredictor?: PredictorLoader } = {},
): void {
  const api: SearchWorkerApi = { search: (request) => runSearch(request, options.loadPredictor) };
  expose(api);
}
