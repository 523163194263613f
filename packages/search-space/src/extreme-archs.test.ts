import { describe, expect, it } from 'vitest';
import { maxArch, minArch } from './extreme-archs.js';
import { attentivenasSpace } from './presets/attentivenas.js';
import { tinySpace } from './presets/tiny.js';
import { validateArch } from './validate-arch.js';

describe('minArch', () => {
  it('is AttentiveNAS-A0 for the attentivenas space', () => {
    expect(minArch(attentivenasSpace)).toEqual({
      resolution: 192,
      width: [16, 16, 24, 32, 64, 112, 192, 216, 1792],
      depth: [1, 3, 3, 3, 3, 3, 1],
      kernelSize: [3, 3, 3, 3, 3, 3, 3],
      expandRatio: [1, 4, 4, 4, 4, 6, 6],
    });
  });
});

describe('maxArch', () => {
  it('takes the largest choice everywhere', () => {
    expect(maxArch(attentivenasSpace)).toEqual({
      resolution: 288,
      width: [24, 24, 32, 40, 72, 128, 216, 224, 1984],
      depth: [2, 5, 6, 6, 8, 8, 2],
      kernelSize: [5, 5, 5, 5, 5, 5, 5],
      expandRatio: [1, 6, 6, 6, 6, 6, 6],
    });
    expect(validateArch(tinySpace, maxArch(tinySpace)).resolution).toBe(28);
  });
});
