import { describe, expect, it } from 'vitest';
import { InvalidArchError } from './invalid-arch-error.js';
import { attentivenasSpace } from './presets/attentivenas.js';
import { tinySpace } from './presets/tiny.js';
import { isValidArch, validateArch } from './validate-arch.js';

const a0 = {
  resolution: 192,
  width: [16, 16, 24, 32, 64, 112, 192, 216, 1792],
  depth: [1, 3, 3, 3, 3, 3, 1],
  kernelSize: [3, 3, 3, 3, 3, 3, 3],
  expandRatio: [1, 4, 4, 4, 4, 6, 6],
};

function caught(run: () => unknown): InvalidArchError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidArchError) return error;
    throw error;
  }
  throw new Error('expected an InvalidArchError');
}

describe('validateArch', () => {
  it('returns a valid arch unchanged', () => {
    expect(validateArch(attentivenasSpace, a0)).toBe(a0);
  });

  it('names the stage, value and choices of a bad depth', () => {
    const error = caught(() =>
      validateArch(attentivenasSpace, { ...a0, depth: [1, 3, 3, 9, 3, 3, 1] }),
    );
    expect(error.message).toBe(
      'Invalid arch: depth of stage 3 (mb4) is 9, expected one of 3, 4, 5, 6',
    );
    expect(error).toMatchObject({ field: 'depth', stage: 3, stageName: 'mb4', value: 9 });
    expect(error.allowed).toEqual([3, 4, 5, 6]);
  });

  it('names widths by array index, including the first and last conv', () => {
    const first = caught(() =>
      validateArch(attentivenasSpace, { ...a0, width: [20, ...a0.width.slice(1)] }),
    );
    expect(first.message).toBe('Invalid arch: width[0] (first conv) is 20, expected one of 16, 24');
    const last = caught(() =>
      validateArch(attentivenasSpace, { ...a0, width: [...a0.width.slice(0, 8), 2000] }),
    );
    expect(last.message).toBe(
      'Invalid arch: width[8] (last conv) is 2000, expected one of 1792, 1984',
    );
    expect(last).toMatchObject({ field: 'width', stage: 8, stageName: 'last conv' });
  });

  it('rejects a resolution outside the space', () => {
    const error = caught(() => validateArch(attentivenasSpace, { ...a0, resolution: 32 }));
    expect(error.message).toBe(
      'Invalid arch: resolution is 32, expected one of 192, 224, 256, 288',
    );
    expect(error).toMatchObject({ field: 'resolution', stage: undefined, value: 32 });
  });

  it('rejects missing fields and wrong lengths', () => {
    const { depth: _depth, ...noDepth } = a0;
    expect(caught(() => validateArch(attentivenasSpace, noDepth)).message).toBe(
      'Invalid arch: depth is missing, expected an array of 7 numbers (one per stage)',
    );
    const short = caught(() => validateArch(attentivenasSpace, { ...a0, width: [16, 16] }));
    expect(short.message).toBe(
      'Invalid arch: width has 2 entries, expected 9 (first conv, one per stage, last conv)',
    );
    expect(caught(() => validateArch(attentivenasSpace, { ...a0, kernelSize: 3 })).field).toBe(
      'kernelSize',
    );
  });

  it('rejects non-integers and non-numbers', () => {
    const fractional = caught(() =>
      validateArch(attentivenasSpace, { ...a0, kernelSize: [3, 3, 3.5, 3, 3, 3, 3] }),
    );
    expect(fractional.message).toBe(
      'Invalid arch: kernelSize of stage 2 (mb3) is 3.5, expected one of 3, 5',
    );
    const text = caught(() => validateArch(attentivenasSpace, { ...a0, resolution: '192' }));
    expect(text.message).toBe(
      "Invalid arch: resolution is '192', expected one of 192, 224, 256, 288",
    );
  });

  it('rejects something that is not an object', () => {
    expect(caught(() => validateArch(tinySpace, null)).message).toMatch(
      /^Invalid arch: expected an object .* got null$/,
    );
    expect(caught(() => validateArch(tinySpace, [1, 2])).field).toBe('arch');
  });
});

describe('isValidArch', () => {
  it('answers true and false instead of throwing', () => {
    expect(isValidArch(attentivenasSpace, a0)).toBe(true);
    expect(isValidArch(tinySpace, a0)).toBe(false);
  });
});
