import type { SamplerState } from './sampler.js';
import { SamplerError } from './sampler-error.js';

export function checkStateKind(sampler: string, state: SamplerState): void {
  if (state?.sampler !== sampler) {
    throw new SamplerError(
      sampler,
      'state.sampler',
      state?.sampler,
      `'${sampler}' (a state saved by the same kind of sampler)`,
    );
  }
}

export function checkRngState(sampler: string, words: readonly number[] | null): number[] {
  if (
    !Array.isArray(words) ||
    words.length !== 4 ||
    !words.every((word) => Number.isInteger(word) && word >= 0 && word < 2 ** 32)
  ) {
    throw new SamplerError(sampler, 'state.rng', words, 'four uint32 words from Rng.state()');
  }
  return [...words];
}
