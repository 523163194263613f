import { describe, expect, it } from 'vitest';
import { InvalidArchError } from './invalid-arch-error.js';
import { normalizeArch } from './normalize-arch.js';

const camel = {
  resolution: 224,
  width: [16, 16, 24, 32, 64, 112, 192, 216, 1984],
  depth: [1, 3, 3, 3, 3, 3, 1],
  kernelSize: [3, 3, 3, 5, 3, 5, 3],
  expandRatio: [1, 4, 4, 4, 4, 6, 6],
};

describe('normalizeArch', () => {
  it('reads the reference snake_case keys and ignores extra ones', () => {
    const reference = {
      model: 'attentive_nas_a1',
      resolution: 224,
      width: camel.width,
      kernel_size: camel.kernelSize,
      expand_ratio: camel.expandRatio,
      depth: camel.depth,
    };
    expect(normalizeArch(reference)).toEqual(camel);
  });

  it('reads camelCase keys and returns fresh arrays', () => {
    const arch = normalizeArch(camel);
    expect(arch).toEqual(camel);
    expect(arch.width).not.toBe(camel.width);
  });

  it('accepts both spellings when they agree and rejects them when they differ', () => {
    expect(normalizeArch({ ...camel, kernel_size: camel.kernelSize })).toEqual(camel);
    expect(() => normalizeArch({ ...camel, kernel_size: [5, 5, 5, 5, 5, 5, 5] })).toThrow(
      'Invalid arch: kernelSize ([3,3,3,5,3,5,3]) and kernel_size ([5,5,5,5,5,5,5]) disagree',
    );
  });

  it('names a missing field with both spellings', () => {
    const { expandRatio: _expandRatio, ...rest } = camel;
    expect(() => normalizeArch(rest)).toThrow(
      'Invalid arch: expandRatio / expand_ratio is missing',
    );
  });

  it('rejects entries that are not numbers, naming the position', () => {
    const error = (() => {
      try {
        normalizeArch({ ...camel, depth: [1, 3, 'three', 3, 3, 3, 1] });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidArchError);
    expect((error as InvalidArchError).message).toBe(
      "Invalid arch: depth[2] is 'three', expected a number",
    );
    expect((error as InvalidArchError).stage).toBe(2);
  });

  it('rejects a non-object', () => {
    expect(() => normalizeArch('a0')).toThrow(/got 'a0'$/);
  });
});
