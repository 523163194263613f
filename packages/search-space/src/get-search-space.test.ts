import { describe, expect, it } from 'vitest';
import { getSearchSpace, presetNames } from './get-search-space.js';
import { attentivenasSpace } from './presets/attentivenas.js';
import { UnknownSearchSpaceError } from './unknown-search-space-error.js';

describe('getSearchSpace', () => {
  it('returns a preset by name', () => {
    expect(getSearchSpace('attentivenas')).toBe(attentivenasSpace);
    expect(getSearchSpace('tiny').name).toBe('tiny');
  });

  it('names the unknown space and the known ones', () => {
    expect(() => getSearchSpace('ofa')).toThrow(
      new UnknownSearchSpaceError('ofa', ['attentivenas', 'tiny']),
    );
    expect(() => getSearchSpace('toString')).toThrow(
      "Unknown search space 'toString', expected one of attentivenas, tiny",
    );
  });
});

describe('presetNames', () => {
  it('lists every preset', () => {
    expect(presetNames).toEqual(['attentivenas', 'tiny']);
  });
});
