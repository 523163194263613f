import { type ArchConfig, maxArch, minArch, type SearchSpace } from '@supernas/search-space';
import { checkStateKind } from './check-state.js';
import type { SampleContext, Sampler, SamplerState } from './sampler.js';
import { SamplerError } from './sampler-error.js';
import { formatStats, StatsRecorder } from './stats-recorder.js';

export interface SandwichSamplerOptions {
  readonly space: SearchSpace;
  /** Archs between the largest and the smallest; AttentiveNAS trains 4 in all, so 2. */
  readonly middle: number;
  /** Where the middle archs come from (uniform, attentive, ...). Needed when `middle > 0`. */
  readonly inner?: Sampler;
}

/**
 * The sandwich rule: every step trains `[max, ...middle, min]`, the largest subnet first (the
 * teacher whose logits supervise the rest), then `middle` archs from `inner`, then the smallest.
 * `inner` is called until it has given `middle` archs; any surplus of its last call is dropped.
 */
export function sandwichSampler(options: SandwichSamplerOptions): Sampler {
  const { space, middle, inner } = options;
  const name = 'sandwich';
  if (!(Number.isInteger(middle) && middle >= 0)) {
    throw new SamplerError(name, 'middle', middle, 'a non-negative integer');
  }
  if (middle > 0 && !inner) {
    throw new SamplerError(name, 'inner', inner, `a sampler for the ${middle} middle archs`);
  }
  const largest = maxArch(space);
  const smallest = minArch(space);
  const recorder = new StatsRecorder(name, null);
  return {
    name,
    first: largest,
    async sample(context: SampleContext = {}): Promise<ArchConfig[]> {
      const between: ArchConfig[] = [];
      while (between.length < middle && inner) {
        const archs = await inner.sample(context);
        if (archs.length === 0) {
          throw new SamplerError(
            name,
            `inner sampler '${inner.name}' result`,
            archs,
            'at least one arch',
          );
        }
        between.push(...archs.slice(0, middle - between.length));
      }
      recorder.add('calls');
      recorder.add('archs', middle + 2);
      return [largest, ...between, smallest];
    },
    stats: () => recorder.snapshot(inner?.stats() ?? null),
    report: () => formatStats(recorder.snapshot(inner?.stats() ?? null)),
    state: (): SamplerState => ({
      sampler: name,
      rng: null,
      stats: recorder.snapshot(inner?.stats() ?? null),
      inner: inner?.state() ?? null,
    }),
    restore(state: SamplerState): void {
      checkStateKind(name, state);
      if (inner) {
        if (!state.inner)
          throw new SamplerError(name, 'state.inner', state.inner, `the state of '${inner.name}'`);
        inner.restore(state.inner);
      }
      recorder.restore(state.stats);
    },
  };
}
