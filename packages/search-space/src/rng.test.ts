import { describe, expect, it } from 'vitest';
import { createRng, rngFromState } from './rng.js';
import { SearchSpaceOptionError } from './search-space-option-error.js';

describe('createRng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const first = Array.from({ length: 5 }, createRng(42).next);
    expect(Array.from({ length: 5 }, createRng(42).next)).toEqual(first);
    expect(Array.from({ length: 5 }, createRng(43).next)).not.toEqual(first);
  });

  it('draws integers in range', () => {
    const rng = createRng(1);
    for (let i = 0; i < 1000; i++) {
      const value = rng.int(6);
      expect(value >= 0 && value < 6 && Number.isInteger(value)).toBe(true);
    }
  });
});

describe('rngFromState', () => {
  it('continues the exact sequence of a saved generator', () => {
    const rng = createRng(9);
    rng.next();
    const resumed = rngFromState(rng.state());
    expect(resumed.next()).toBe(rng.next());
  });
});

describe('rng option errors', () => {
  it('name the function, the option and the value, as a SearchSpaceOptionError', () => {
    expect(() => createRng(Number.NaN)).toThrow(SearchSpaceOptionError);
    expect(() => createRng(Number.NaN)).toThrow('createRng: seed must be a finite number, got NaN');
    expect(() => rngFromState([1, 2])).toThrow(
      'rngFromState: state must be 4 uint32 words, got [1,2]',
    );
    const rng = createRng(1);
    expect(() => rng.int(0)).toThrow('Rng.int: n must be >= 1, got 0');
    expect(() => rng.choice([])).toThrow('Rng.choice: items must be a non-empty array, got []');
  });
});
