import { createRng, maxArch, minArch, sampleArch, tinySpace } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { EvaluatorOptionError } from './errors.js';
import { fitLatencyModel, latencyFeatures, predictLatency } from './latency-model.js';

const counts = { numClasses: 10, inputChannels: 1 };

describe('fitLatencyModel', () => {
  it('recovers a latency that is linear in its features and predicts unseen archs', () => {
    const rng = createRng(3);
    const archs = Array.from({ length: 30 }, () => sampleArch(tinySpace, rng));
    const truth = (features: number[]) =>
      0.4 + 2 * features[0]! + 0.3 * features[1]! + 0.5 * features[2]!;
    const points = archs.slice(0, 20).map((arch) => ({
      arch,
      latencyMs: truth(latencyFeatures(tinySpace, arch, counts)),
    }));
    const model = fitLatencyModel(tinySpace, points, { ...counts, penalty: 1e-9 });
    expect(model.trainingErrorMs).toBeLessThan(1e-6);
    for (const arch of archs.slice(20)) {
      const expected = truth(latencyFeatures(tinySpace, arch, counts));
      expect(predictLatency(model, tinySpace, arch)).toBeCloseTo(expected, 5);
    }
  });

  it('survives a JSON round trip, so it can be posted to a worker or stored', () => {
    const points = [
      { arch: minArch(tinySpace), latencyMs: 1 },
      { arch: maxArch(tinySpace), latencyMs: 3 },
    ];
    const model = fitLatencyModel(tinySpace, points, counts);
    const copy = JSON.parse(JSON.stringify(model));
    expect(predictLatency(copy, tinySpace, maxArch(tinySpace))).toBe(
      predictLatency(model, tinySpace, maxArch(tinySpace)),
    );
    expect(predictLatency(model, tinySpace, minArch(tinySpace))).toBeLessThan(
      predictLatency(model, tinySpace, maxArch(tinySpace)),
    );
  });

  it('needs two measured archs', () => {
    expect(() =>
      fitLatencyModel(tinySpace, [{ arch: minArch(tinySpace), latencyMs: 1 }], counts),
    ).toThrow(EvaluatorOptionError);
  });
});
