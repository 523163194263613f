import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArchEncodingError, decodeArch, encodeArch, encodedLength } from './encode-arch.js';
import { maxArch, minArch } from './extreme-archs.js';
import { attentivenasSpace } from './presets/attentivenas.js';
import { sampleArch } from './sample-arch.js';
import { rngArbitrary, spaceArbitrary } from './test-utils/arbitraries.js';

describe('encodeArch', () => {
  it('maps the min and max archs to all zeros and all ones (index encoding)', () => {
    const min = encodeArch(attentivenasSpace, minArch(attentivenasSpace));
    const max = encodeArch(attentivenasSpace, maxArch(attentivenasSpace));
    expect(min).toHaveLength(31);
    expect(min.every((entry) => entry === 0)).toBe(true);
    const singleChoice = [24, 29, 30]; // expandRatio of mb1, mb6, mb7
    max.forEach((entry, i) => {
      expect(entry).toBe(singleChoice.includes(i) ? 0 : 1);
    });
  });

  it('makes one-hot blocks, one per gene', () => {
    const vector = encodeArch(attentivenasSpace, minArch(attentivenasSpace), {
      encoding: 'one-hot',
    });
    expect(vector).toHaveLength(81);
    expect(vector.slice(0, 4)).toEqual([1, 0, 0, 0]);
    expect(vector.reduce((a, b) => a + b, 0)).toBe(31);
  });
});

describe('encodedLength', () => {
  it('is 4 * stages + 3 for index and the number of choices for one-hot', () => {
    expect(encodedLength(attentivenasSpace)).toBe(31);
    expect(encodedLength(attentivenasSpace, { encoding: 'one-hot' })).toBe(81);
  });
});

describe('decodeArch', () => {
  it('round-trips every sampled arch in both encodings', () => {
    fc.assert(
      fc.property(
        spaceArbitrary,
        rngArbitrary,
        fc.constantFrom('index', 'one-hot' as const),
        (space, rng, encoding) => {
          const arch = sampleArch(space, rng);
          const options = { encoding } as const;
          expect(decodeArch(space, encodeArch(space, arch, options), options)).toEqual(arch);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rounds noisy index vectors to the nearest choice', () => {
    const noisy = encodeArch(attentivenasSpace, maxArch(attentivenasSpace)).map((entry) =>
      entry === 1 ? 1.3 : entry + 0.2,
    );
    expect(decodeArch(attentivenasSpace, noisy)).toEqual(maxArch(attentivenasSpace));
  });

  it('rejects vectors of the wrong length or with non-finite entries', () => {
    expect(() => decodeArch(attentivenasSpace, [0, 1])).toThrow(
      'decodeArch: expected 31 entries (index encoding of space attentivenas), got 2',
    );
    const withNaN = Array(31).fill(0);
    withNaN[4] = Number.NaN;
    expect(() => decodeArch(attentivenasSpace, withNaN)).toThrow(ArchEncodingError);
  });
});
