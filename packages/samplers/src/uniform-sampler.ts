import { countFlops } from '@supernas/flops';
import { type ArchConfig, type Rng, type SearchSpace, sampleArch } from '@supernas/search-space';
import { leafSamplerMethods, type RngHolder } from './leaf-sampler-methods.js';
import type { Sampler } from './sampler.js';
import { StatsRecorder } from './stats-recorder.js';

export interface UniformSamplerOptions {
  readonly space: SearchSpace;
  readonly rng: Rng;
  /** Keep a FLOPs histogram of the sampled archs over these MFLOPs bins (e.g. a prior's). */
  readonly histogram?: {
    readonly binEdges: readonly number[];
    readonly numClasses: number;
    readonly inputChannels?: number;
  };
}

/** One arch per call, every choice uniform and independent (`sampleArch`), as BigNAS / OFA. */
export function uniformSampler(options: UniformSamplerOptions): Sampler {
  const { space, histogram } = options;
  const rng: RngHolder = { current: options.rng };
  const name = 'uniform';
  const recorder = new StatsRecorder(name, histogram?.binEdges ?? null);
  return {
    name,
    async sample(): Promise<ArchConfig[]> {
      const arch = sampleArch(space, rng.current);
      recorder.add('calls');
      recorder.add('archs');
      if (histogram) {
        const counted = countFlops(space, arch, histogram);
        recorder.recordFlops(counted.flops / 1e6);
      }
      return [arch];
    },
    ...leafSamplerMethods(name, recorder, rng),
  };
}
