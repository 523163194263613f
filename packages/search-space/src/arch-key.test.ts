import { describe, expect, it } from 'vitest';
import { archKey } from './arch-key.js';
import { minArch } from './extreme-archs.js';
import { normalizeArch } from './normalize-arch.js';
import { attentivenasSpace } from './presets/attentivenas.js';

describe('archKey', () => {
  it('spells out every field in a file-name-safe string', () => {
    expect(archKey(minArch(attentivenasSpace))).toBe(
      'r192_w16-16-24-32-64-112-192-216-1792_d1-3-3-3-3-3-1_k3-3-3-3-3-3-3_e1-4-4-4-4-6-6',
    );
  });

  it('is the same for the same arch read from differently spelled sources', () => {
    const snake = normalizeArch({
      expand_ratio: [1, 4, 4, 4, 4, 6, 6],
      kernel_size: [3, 3, 3, 3, 3, 3, 3],
      depth: [1, 3, 3, 3, 3, 3, 1],
      width: [16, 16, 24, 32, 64, 112, 192, 216, 1792],
      resolution: 192,
    });
    expect(archKey(snake)).toBe(archKey(minArch(attentivenasSpace)));
  });

  it('differs when any gene differs', () => {
    const arch = minArch(attentivenasSpace);
    expect(archKey({ ...arch, depth: [1, 3, 3, 3, 3, 3, 2] })).not.toBe(archKey(arch));
  });
});
