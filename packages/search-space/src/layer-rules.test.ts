import { describe, expect, it } from 'vitest';
import {
  convOutputSize,
  convPadding,
  headExpandChannels,
  midChannels,
  type ShortcutKind,
  seChannels,
  shortcutHasConv,
  shortcutKind,
  shortcutPoolPadding,
  stageHasExpandConv,
} from './layer-rules.js';
import { attentivenasSpace } from './presets/attentivenas.js';

describe('stageHasExpandConv', () => {
  const [mb1, mb2] = attentivenasSpace.stages;

  it('is false only when the largest expand ratio of the stage is 1', () => {
    expect(stageHasExpandConv(mb1!)).toBe(false);
    expect(stageHasExpandConv(mb2!)).toBe(true);
    expect(stageHasExpandConv({ ...mb2!, expandRatios: [1, 4] })).toBe(true);
    expect(stageHasExpandConv({ ...mb2!, expandRatios: [0.5, 1] })).toBe(false);
  });
});

describe('midChannels', () => {
  it('expands and rounds to a multiple of 8 when the block has its expand conv', () => {
    expect(midChannels(16, 4, true)).toBe(64);
    expect(midChannels(24, 5, true)).toBe(120);
    // round(20 * 2.5) = 50 -> 48; round(9 * 2.5) = round(22.5) = 22 (half to even) -> 24.
    expect(midChannels(20, 2.5, true)).toBe(48);
    expect(midChannels(9, 2.5, true)).toBe(24);
  });

  it('runs expand ratio 1 through the expand conv at make_divisible(in, 8) when there is one', () => {
    expect(midChannels(16, 1, true)).toBe(16);
    expect(midChannels(12, 1, true)).toBe(16);
  });

  it('keeps the input width when the block has no expand conv', () => {
    expect(midChannels(12, 1, false)).toBe(12);
  });
});

describe('seChannels', () => {
  it('is a quarter of the width, made divisible by 8', () => {
    expect(seChannels(96)).toBe(24);
    expect(seChannels(1344)).toBe(336);
    expect(seChannels(72)).toBe(24);
    expect(seChannels(192)).toBe(48);
  });
});

describe('convPadding', () => {
  it('pads k // 2 on each side', () => {
    expect([1, 3, 5, 7].map(convPadding)).toEqual([0, 1, 2, 3]);
  });
});

describe('convOutputSize', () => {
  it('is ceil(size / stride) for odd kernels with padding k // 2', () => {
    expect(convOutputSize(224, 3, 2)).toBe(112);
    expect(convOutputSize(192, 3, 2)).toBe(96);
    expect(convOutputSize(7, 5, 2)).toBe(4);
    expect(convOutputSize(7, 3, 1)).toBe(7);
    expect(convOutputSize(28, 3, 1)).toBe(28);
  });
});

describe('shortcutKind', () => {
  it('pools on a stride and projects on a width change', () => {
    expect(shortcutKind(16, 16, 1)).toBe('identity');
    expect(shortcutKind(16, 24, 1)).toBe('conv');
    expect(shortcutKind(24, 24, 2)).toBe('avg-pool');
    expect(shortcutKind(16, 24, 2)).toBe('avg-pool-conv');
  });

  it('runs the 1x1 conv only for the projecting kinds', () => {
    const kinds: ShortcutKind[] = ['identity', 'avg-pool', 'conv', 'avg-pool-conv'];
    expect(kinds.map(shortcutHasConv)).toEqual([false, false, true, true]);
  });
});

describe('shortcutPoolPadding', () => {
  it('pads odd sides of a pooling shortcut by one, so the pooled side matches the conv', () => {
    expect(shortcutPoolPadding(7, 2)).toBe(1);
    expect(Math.floor((7 + 2 * 1 - 2) / 2) + 1).toBe(convOutputSize(7, 3, 2));
    expect(shortcutPoolPadding(8, 2)).toBe(0);
    expect(shortcutPoolPadding(7, 1)).toBe(0);
  });
});

describe('headExpandChannels', () => {
  it('multiplies the last stage width by the head ratio, rounding as Python', () => {
    expect(headExpandChannels(216, 6)).toBe(1296);
    expect(headExpandChannels(224, 6)).toBe(1344);
    expect(headExpandChannels(5, 2.5)).toBe(12);
  });
});
