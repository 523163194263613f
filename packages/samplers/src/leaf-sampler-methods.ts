import { type Rng, rngFromState } from '@supernas/search-space';
import { checkRngState, checkStateKind } from './check-state.js';
import type { Sampler, SamplerState } from './sampler.js';
import { formatStats, type StatsRecorder } from './stats-recorder.js';

/** The generator a leaf sampler draws from; `restore` replaces it. */
export interface RngHolder {
  current: Rng;
}

/**
 * `stats`, `report`, `state` and `restore` of a sampler that owns one generator and no inner
 * sampler (uniform, attentive): the state is its generator's words and its statistics.
 */
export function leafSamplerMethods(
  name: string,
  recorder: StatsRecorder,
  rng: RngHolder,
): Pick<Sampler, 'stats' | 'report' | 'state' | 'restore'> {
  return {
    stats: () => recorder.snapshot(),
    report: () => formatStats(recorder.snapshot()),
    state: (): SamplerState => ({
      sampler: name,
      rng: rng.current.state(),
      stats: recorder.snapshot(),
      inner: null,
    }),
    restore(state: SamplerState): void {
      checkStateKind(name, state);
      const words = checkRngState(name, state.rng);
      recorder.restore(state.stats);
      rng.current = rngFromState(words);
    },
  };
}
