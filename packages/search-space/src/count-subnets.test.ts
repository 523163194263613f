import { describe, expect, it } from 'vitest';
import { countSubnets } from './count-subnets.js';
import { attentivenasSpace } from './presets/attentivenas.js';
import { tinySpace } from './presets/tiny.js';

describe('countSubnets', () => {
  it('multiplies the choices of every gene (4.4e11 for attentivenas)', () => {
    expect(countSubnets(attentivenasSpace)).toBe(440_301_256_704);
  });

  it('counts the tiny space', () => {
    // 2 resolutions * 2 * 2 (first and last conv widths) * mb1 4 * mb2 12 * mb3 18 * mb4 8
    expect(countSubnets(tinySpace)).toBe(2 * 2 * 2 * 4 * 12 * 18 * 8);
  });
});
