import {
  type LatencyMeasurement,
  type LatencyTable,
  type LoadedRunner,
  measureLatency,
} from '@supernas/evaluator';
import { type ArchConfig, archKey } from '@supernas/search-space';

/** One arch's latency on this device and backend: measured on this visit or an earlier one. */
export interface DeviceLatency {
  readonly arch: ArchConfig;
  readonly key: string;
  readonly measurement: LatencyMeasurement;
  /** True when it came from the IndexedDB latency table, measured on an earlier visit. */
  readonly earlier: boolean;
}

/**
 * The latencies of one device (backend + adapter) at batch 1: what the latency table holds from
 * earlier visits, plus what this visit measures. An arch in it is never timed again.
 */
export class DeviceLatencies {
  readonly byKey = new Map<string, DeviceLatency>();
  /** Archs timed on this visit, in order (the end-to-end test reads it). */
  readonly measuredNow: string[] = [];

  private constructor(
    readonly table: LatencyTable,
    readonly device: string,
  ) {}

  /** Reads the device's records; a record without its arch (older format) is used by key only. */
  static async open(
    table: LatencyTable,
    device: string,
    archsByKey: ReadonlyMap<string, ArchConfig>,
  ): Promise<DeviceLatencies> {
    const latencies = new DeviceLatencies(table, device);
    const records = await table.list(device).catch((error: unknown) => {
      console.warn('latency table not read', error);
      return [];
    });
    for (const record of records) {
      const arch = record.arch ?? archsByKey.get(record.archKey);
      if (record.measurement.batch !== 1 || arch === undefined) continue;
      latencies.byKey.set(record.archKey, {
        arch,
        key: record.archKey,
        measurement: record.measurement,
        earlier: true,
      });
    }
    return latencies;
  }

  get(arch: ArchConfig): DeviceLatency | undefined {
    return this.byKey.get(archKey(arch));
  }

  /** The stored or measured latency of `arch`; times it (and stores it) only when unknown. */
  async latencyOf(
    arch: ArchConfig,
    load: () => LoadedRunner | Promise<LoadedRunner>,
    onProgress?: (done: number, runs: number) => void,
  ): Promise<DeviceLatency> {
    const known = this.get(arch);
    if (known !== undefined) return known;
    const key = archKey(arch);
    const runner = await load();
    let measurement: LatencyMeasurement;
    try {
      measurement = await measureLatency(runner, {
        warmup: 3,
        runs: 10,
        ...(onProgress === undefined ? {} : { onProgress }),
      });
    } finally {
      runner.dispose();
    }
    const entry = { arch, key, measurement, earlier: false };
    this.byKey.set(key, entry);
    this.measuredNow.push(key);
    await this.table
      .put({ device: this.device, archKey: key, arch, measurement, measuredAt: Date.now() })
      .catch((error: unknown) => console.warn('latency table not saved', error));
    return entry;
  }

  /** Every latency known, as latency-model points. */
  points(): { arch: ArchConfig; latencyMs: number }[] {
    return [...this.byKey.values()].map((entry) => ({
      arch: entry.arch,
      latencyMs: entry.measurement.medianMs,
    }));
  }
}
