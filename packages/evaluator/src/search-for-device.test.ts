import { type ArchConfig, archKey, maxArch, minArch, tinySpace } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { fitLatencyModel } from './latency-model.js';
import { type SearchWorkerClient, searchForDevice } from './search-for-device.js';
import { runSearch, type SearchRequest } from './search-problem.js';

const min = minArch(tinySpace);
const max = maxArch(tinySpace);
const counts = { numClasses: 10, inputChannels: 1 };
const known = [
  { arch: min, latencyMs: 1 },
  { arch: max, latencyMs: 4 },
];
// A stand-in predictor: bigger is better.
const predictor = {
  predict: (archs: readonly ArchConfig[]) =>
    archs.map((arch) => arch.width[5]! + arch.depth.reduce((a, b) => a + b, 0)),
};
// The worker, in-process: the same runSearch the worker exposes.
const client = {
  api: { search: (request: SearchRequest) => runSearch(request, () => predictor) },
  close: () => {},
} as unknown as SearchWorkerClient;
const request: SearchRequest = {
  space: 'tiny',
  ...counts,
  budget: { maxLatencyMs: 2.5 },
  known,
  latencyModel: fitLatencyModel(tinySpace, known, counts),
  predictor: { json: {}, populationSize: 12, generations: 3 },
};

describe('searchForDevice', () => {
  it('measures a chosen arch whose latency was predicted and searches again until the choice is measured', async () => {
    const measuredArchs: string[] = [];
    // This device is slower than the model thinks: every unmeasured arch takes 3 ms, over budget,
    // until one is measured that fits.
    const result = await searchForDevice(client, request, {
      measure: async (arch) => {
        measuredArchs.push(archKey(arch));
        return measuredArchs.length < 3 ? 3 : 2;
      },
    });
    expect(result.measured.map((entry) => archKey(entry.arch))).toEqual(measuredArchs);
    expect(measuredArchs.length).toBe(3);
    expect(new Set(measuredArchs).size).toBe(3);
    expect(result.chosen.latencySource).toBe('measured');
    expect(result.chosen.latencyMs).toBe(2);
    expect(result.chosen.key).toBe(measuredArchs[2]);
  });

  it('does not measure under a MFLOPs budget or without a measure function', async () => {
    let calls = 0;
    const byMflops = await searchForDevice(
      client,
      { ...request, budget: { maxMflops: 1.5 } },
      {
        measure: async () => {
          calls++;
          return 1;
        },
      },
    );
    expect(calls).toBe(0);
    expect(byMflops.measured).toEqual([]);
    const unmeasured = await searchForDevice(client, request);
    expect(unmeasured.chosen.latencySource).toBe('predicted');
  });

  it('stops after maxMeasurements', async () => {
    const result = await searchForDevice(client, request, {
      measure: async () => 3,
      maxMeasurements: 2,
    });
    expect(result.measured.length).toBe(2);
  });
});
