import type { ArchConfig } from '@supernas/search-space';
import { createStore, entries, get, set, type UseStore } from 'idb-keyval';
import type { LatencyMeasurement } from './measure-latency.js';

/** One measured subnet on one device. */
export interface LatencyRecord {
  /** Backend name and adapter (`webgpu|google swiftshader`), so other devices never mix in. */
  readonly device: string;
  readonly archKey: string;
  /** The arch itself, so a later visit can search with archs it measured (the key is one-way). */
  readonly arch?: ArchConfig;
  readonly measurement: LatencyMeasurement;
  /** When it was measured (ms since the epoch). */
  readonly measuredAt: number;
}

/** The latencies measured on this browser, kept in IndexedDB across visits. */
export interface LatencyTable {
  get(device: string, archKey: string, batch: number): Promise<LatencyRecord | undefined>;
  put(record: LatencyRecord): Promise<void>;
  /** Every record of one device (all batches). */
  list(device: string): Promise<LatencyRecord[]>;
}

function key(device: string, archKey: string, batch: number): string {
  return `${device}|b${batch}|${archKey}`;
}

/** A device key from a backend name and its adapter description. */
export function deviceKey(backend: string, adapter = ''): string {
  return adapter === '' ? backend : `${backend}|${adapter}`;
}

/** The latency table in IndexedDB (database `supernas-evaluator-latency`). */
export function latencyTable(
  store: UseStore = createStore('supernas-evaluator-latency', 'latency'),
): LatencyTable {
  return {
    get: (device, archKey, batch) => get<LatencyRecord>(key(device, archKey, batch), store),
    put: (record) =>
      set(key(record.device, record.archKey, record.measurement.batch), record, store),
    list: async (device) =>
      (await entries<string, LatencyRecord>(store))
        .map(([, record]) => record)
        .filter((record) => record.device === device),
  };
}
