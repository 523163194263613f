import { tinySpace } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { firstDifference } from './space-difference.js';

describe('firstDifference', () => {
  it('finds nothing between a space and its JSON round trip', () => {
    expect(firstDifference(JSON.parse(JSON.stringify(tinySpace)), tinySpace)).toBeUndefined();
  });

  it('names the path and both values of the first difference', () => {
    const changed = {
      ...tinySpace,
      stages: tinySpace.stages.map((stage, index) =>
        index === 2 ? { ...stage, widths: [24, 40] } : stage,
      ),
    };
    expect(firstDifference(changed, tinySpace)).toEqual({
      path: 'stages[2].widths[1]',
      actual: 40,
      expected: 32,
    });
  });

  it('reports a length mismatch at the array itself', () => {
    expect(firstDifference({ resolutions: [1, 2] }, { resolutions: [1] })).toEqual({
      path: 'resolutions',
      actual: [1, 2],
      expected: [1],
    });
  });
});
