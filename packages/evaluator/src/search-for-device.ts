import { type ArchConfig, archKey, getSearchSpace } from '@supernas/search-space';
import { type Remote, wrap } from 'comlink';
import { fitLatencyModel } from './latency-model.js';
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

export interface SearchForDeviceOptions {
  /**
   * Measures an arch on this device (median ms). Under a latency budget, a chosen arch whose
   * latency was only predicted is measured, the latency model refitted with it, and the search
   * run again, until the chosen arch's latency is a measured one.
   */
  readonly measure?: (arch: ArchConfig) => Promise<number>;
  /** Measurements at most; default 5. */
  readonly maxMeasurements?: number;
}

/** The result, with the latencies measured on the way (to store, to show, to search with). */
export interface DeviceSearchResult extends SearchResult {
  readonly measured: readonly { readonly arch: ArchConfig; readonly latencyMs: number }[];
}

/**
 * Searches for the most accurate arch within a latency or MFLOPs budget on this device, in the
 * worker, so the page stays responsive. Measurement runs on the page (it needs the page's tfjs
 * backend); each round's search runs in the worker.
 */
export async function searchForDevice(
  client: SearchWorkerClient,
  request: SearchRequest,
  options: SearchForDeviceOptions = {},
): Promise<DeviceSearchResult> {
  const measured: { arch: ArchConfig; latencyMs: number }[] = [];
  let current = request;
  const maxMeasurements = options.maxMeasurements ?? 5;
  for (;;) {
    const result = await client.api.search(current);
    const { chosen } = result;
    if (
      !('maxLatencyMs' in request.budget) ||
      options.measure === undefined ||
      chosen.latencySource === 'measured' ||
      measured.length >= maxMeasurements
    )
      return { ...result, measured };
    const latencyMs = await options.measure(chosen.arch);
    measured.push({ arch: chosen.arch, latencyMs });
    const known = current.known.some((entry) => archKey(entry.arch) === chosen.key)
      ? current.known.map((entry) =>
          archKey(entry.arch) === chosen.key ? { ...entry, latencyMs } : entry,
        )
      : [...current.known, { arch: chosen.arch, latencyMs }];
    const points = known.flatMap((entry) =>
      entry.latencyMs === undefined ? [] : [{ arch: entry.arch, latencyMs: entry.latencyMs }],
    );
    current = {
      ...current,
      known,
      ...(current.latencyModel === undefined || points.length < 2
        ? {}
        : {
            latencyModel: fitLatencyModel(getSearchSpace(current.space), points, {
              numClasses: current.numClasses,
              inputChannels: current.inputChannels,
            }),
          }),
    };
  }
}
