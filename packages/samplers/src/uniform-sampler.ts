import { countFlops } from '@supernas/flops';
import {
  type ArchConfig,
  type Rng,
  rngFromState,
  type SearchSpace,
  sampleArch,
} from '@supernas/search-space';
import { checkRngState, checkStateKind } from './check-state.js';
import type { Sampler, SamplerState } from './sampler.js';
import { formatStats, StatsRecorder } from './stats-recorder.js';

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
  let rng = options.rng;
  const name = 'uniform';
  const recorder = new StatsRecorder(name, histogram?.binEdges ?? null);
  return {
    name,
    async sample(): Promise<ArchConfig[]> {
      const arch = sampleArch(space, rng);
      recorder.add('calls');
      recorder.add('archs');
      if (histogram) {
        const counted = countFlops(space, arch, histogram);
        recorder.recordFlops(counted.flops / 1e6);
      }
      return [arch];
    },
    stats: () => recorder.snapshot(),
    report: () => formatStats(recorder.snapshot()),
    state: (): SamplerState => ({
      sampler: name,
      rng: rng.state(),
      stats: recorder.snapshot(),
      inner: null,
    }),
    restore(state: SamplerState): void {
      checkStateKind(name, state);
      const words = checkRngState(name, state.rng);
      recorder.restore(state.stats);
      rng = rngFromState(words);
    },
  };
}
