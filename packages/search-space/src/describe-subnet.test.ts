import { describe, expect, it } from 'vitest';
import { describeSubnet } from './describe-subnet.js';
import { maxArch, minArch } from './extreme-archs.js';
import { InvalidArchError } from './invalid-arch-error.js';
import { attentivenasSpace } from './presets/attentivenas.js';
import { tinySpace } from './presets/tiny.js';
import type { SearchSpace } from './types.js';

describe('describeSubnet', () => {
  const a0 = describeSubnet(attentivenasSpace, minArch(attentivenasSpace));

  it('lays out the stem and one block per unit of depth', () => {
    expect(a0.stem).toMatchObject({
      inChannels: 3,
      outChannels: 16,
      stride: 2,
      inputSize: 192,
      outputSize: 96,
    });
    expect(a0.blocks).toHaveLength(17);
    expect(a0.blocks.map((block) => `${block.stageName}.${block.layer}`).slice(0, 5)).toEqual([
      'mb1.0',
      'mb2.0',
      'mb2.1',
      'mb2.2',
      'mb3.0',
    ]);
  });

  it('gives each block its channels, stride, sizes and shortcut', () => {
    const [mb1, mb2first, mb2second, , mb3first] = a0.blocks;
    expect(mb1).toMatchObject({
      inChannels: 16,
      midChannels: 16,
      outChannels: 16,
      hasExpandConv: false,
      seChannels: 0,
      shortcut: 'identity',
    });
    expect(mb2first).toMatchObject({
      inChannels: 16,
      midChannels: 64,
      outChannels: 24,
      stride: 2,
      inputSize: 96,
      outputSize: 48,
      shortcut: 'avg-pool-conv',
    });
    expect(mb2second).toMatchObject({
      inChannels: 24,
      midChannels: 96,
      stride: 1,
      shortcut: 'identity',
    });
    expect(mb3first).toMatchObject({
      inChannels: 24,
      midChannels: 96,
      seChannels: 24,
      outChannels: 32,
    });
  });

  it('describes the v3 head', () => {
    expect(a0.head).toEqual({
      inChannels: 216,
      expandChannels: 1296,
      featureChannels: 1792,
      inputSize: 6,
      activation: 'swish',
    });
  });

  it('pools with a pool-only shortcut when the width stays and the stride is 2', () => {
    const arch = maxArch(attentivenasSpace);
    const layout = describeSubnet(attentivenasSpace, {
      ...arch,
      width: [24, 24, 24, 40, 72, 128, 216, 224, 1984],
    });
    const mb2first = layout.blocks.find((block) => block.stageName === 'mb2' && block.layer === 0);
    expect(mb2first?.shortcut).toBe('avg-pool');
  });

  it('rounds odd sides up, as a strided conv with same padding does, and pads the pooled shortcut', () => {
    const layout = describeSubnet(tinySpace, { ...minArch(tinySpace), resolution: 28 });
    // 28 px: stem 14, mb1 14, mb2 7, mb3 4 (7 rounds up), mb4 4.
    expect([...new Set(layout.blocks.map((block) => block.outputSize))]).toEqual([14, 7, 4]);
    expect(layout.head.inputSize).toBe(4);
    const pooled = layout.blocks.filter((block) => block.stride > 1);
    expect(pooled.map((block) => [block.inputSize, block.shortcutPoolPadding])).toEqual([
      [14, 0],
      [7, 1],
    ]);
    expect(
      layout.blocks.every((block) => block.stride > 1 || block.shortcutPoolPadding === 0),
    ).toBe(true);
  });

  it('keeps the expand conv for expand ratio 1 in a stage whose largest ratio is not 1', () => {
    // The reference builds the inverted bottleneck when max(expand_ratio_list) != 1 and runs it
    // for every subnet: ratio 1 gives make_divisible(round(in * 1), 8) hidden channels.
    const mixed: SearchSpace = {
      ...tinySpace,
      name: 'tiny-mixed',
      firstConv: { ...tinySpace.firstConv, widths: [12] },
      stages: tinySpace.stages.map((stage, index) => {
        if (index === 0) return { ...stage, widths: [12] };
        return index === 1 ? { ...stage, expandRatios: [1, 3] } : stage;
      }),
    };
    const arch = {
      ...minArch(mixed),
      width: [12, 12, 16, 24, 40, 128],
      expandRatio: [1, 1, 3, 4],
    };
    const [mb1, mb2] = describeSubnet(mixed, arch).blocks;
    // mb1 offers ratio 1 only: no expand conv, the depthwise conv runs on the 12 input channels.
    expect(mb1).toMatchObject({ hasExpandConv: false, inChannels: 12, midChannels: 12 });
    expect(mb2).toMatchObject({ hasExpandConv: true, inChannels: 12, midChannels: 16 });
  });

  it('takes the image channels from the options', () => {
    expect(
      describeSubnet(tinySpace, minArch(tinySpace), { inputChannels: 1 }).stem.inChannels,
    ).toBe(1);
  });

  it('rejects an arch outside the space', () => {
    expect(() => describeSubnet(tinySpace, minArch(attentivenasSpace))).toThrow(InvalidArchError);
  });
});
