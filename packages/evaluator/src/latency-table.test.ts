import 'fake-indexeddb/auto';
import { createStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { deviceKey, latencyTable } from './latency-table.js';
import type { LatencyMeasurement } from './measure-latency.js';

const measurement = (medianMs: number, batch = 1): LatencyMeasurement => ({
  medianMs,
  minMs: medianMs,
  maxMs: medianMs,
  p25Ms: medianMs,
  p75Ms: medianMs,
  meanMs: medianMs,
  runs: 1,
  backend: 'webgl',
  batch,
  warmup: 0,
});

describe('latencyTable', () => {
  it('keeps records per device, arch and batch', async () => {
    const table = latencyTable(createStore('latency-table-test', 'latency'));
    const gpu = deviceKey('webgpu', 'google swiftshader');
    await table.put({ device: gpu, archKey: 'a', measurement: measurement(5), measuredAt: 1 });
    await table.put({ device: gpu, archKey: 'a', measurement: measurement(9, 8), measuredAt: 2 });
    await table.put({ device: 'wasm', archKey: 'a', measurement: measurement(1), measuredAt: 3 });
    expect((await table.get(gpu, 'a', 1))?.measurement.medianMs).toBe(5);
    expect((await table.get(gpu, 'a', 8))?.measurement.medianMs).toBe(9);
    expect(await table.get(gpu, 'b', 1)).toBeUndefined();
    expect((await table.list(gpu)).map((record) => record.measuredAt).sort()).toEqual([1, 2]);
    expect(gpu).toBe('webgpu|google swiftshader');
  });
});
