import { tinySpace } from '@supernas/search-space';
import { beforeAll, describe, expect, it } from 'vitest';
import { countParameters } from './count-parameters.js';
import { createSupernet } from './create-supernet.js';
import { supernetLayout } from './supernet-layout.js';
import { useCpu } from './test-utils/elastic-fixtures.js';

describe('countParameters', () => {
  beforeAll(useCpu);

  it('counts trainable weights only, running statistics excluded', () => {
    const supernet = createSupernet(tinySpace, { numClasses: 10 });
    const layout = supernetLayout(tinySpace, 10, 3);
    const all = layout.parameters.reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0);
    const statistics = layout.parameters
      .filter((p) => !p.trainable)
      .reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0);
    expect(statistics).toBeGreaterThan(0);
    expect(countParameters(supernet)).toBe(all - statistics);
    // First conv alone: 3 * 3 * 3 * 16 weights plus a 16-wide BN affine.
    expect(countParameters(supernet)).toBeGreaterThan(3 * 3 * 3 * 16 + 32);
    supernet.dispose();
  });
});
