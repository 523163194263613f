import { attentivenasSpace, minArch } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { flopsBreakdown } from './flops-breakdown.js';

describe('flopsBreakdown', () => {
  const layers = flopsBreakdown(attentivenasSpace, minArch(attentivenasSpace), {
    numClasses: 1000,
  });
  const byName = new Map(layers.map((layer) => [layer.name, layer]));

  it('lists the stem, every block layer and the head in network order', () => {
    expect(layers[0]?.name).toBe('first_conv');
    expect(layers.slice(1, 4).map((layer) => layer.name)).toEqual([
      'mb1.0.depthwise',
      'mb1.0.project',
      'mb1.0.shortcut',
    ]);
    expect(layers.slice(-3).map((layer) => layer.name)).toEqual([
      'head.expand',
      'head.feature_mix',
      'classifier',
    ]);
  });

  it('counts each layer by the reference formulas', () => {
    expect(byName.get('first_conv')).toEqual({
      name: 'first_conv',
      flops: 3 * 16 * 9 * 96 * 96,
      params: 3 * 16 * 9 + 32,
      idle: false,
    });
    // mb3.0: 24 -> 96 hidden -> 32, stride 2 from 48 to 24, SE squeeze 24 on the pooled map.
    expect(byName.get('mb3.0.expand')?.flops).toBe(24 * 96 * 48 * 48);
    expect(byName.get('mb3.0.depthwise')?.flops).toBe(96 * 9 * 24 * 24);
    expect(byName.get('mb3.0.se')).toMatchObject({
      flops: 2 * 96 * 24,
      params: 2 * 96 * 24 + 24 + 96,
    });
    expect(byName.get('mb3.0.shortcut')).toMatchObject({ flops: 24 * 32 * 24 * 24, idle: false });
    expect(byName.get('head.feature_mix')).toMatchObject({
      flops: 1296 * 1792,
      params: 1296 * 1792,
    });
    expect(byName.get('classifier')).toMatchObject({
      flops: 1792 * 1000,
      params: 1792 * 1000 + 1000,
    });
  });

  it('marks identity shortcut convs idle: parameters but no FLOPs', () => {
    expect(byName.get('mb2.1.shortcut')).toEqual({
      name: 'mb2.1.shortcut',
      flops: 0,
      params: 24 * 24,
      idle: true,
    });
  });
});
