import {
  attentivenasSpace,
  InvalidArchError,
  maxArch,
  minArch,
  tinySpace,
} from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { describeSubnet } from './describe-subnet.js';

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

  it('rounds odd sides up, as a strided conv with same padding does', () => {
    const layout = describeSubnet(tinySpace, { ...minArch(tinySpace), resolution: 28 });
    // 28 px: stem 14, mb1 14, mb2 7, mb3 4 (7 rounds up), mb4 4.
    expect([...new Set(layout.blocks.map((block) => block.outputSize))]).toEqual([14, 7, 4]);
    expect(layout.head.inputSize).toBe(4);
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
