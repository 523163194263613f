import { attentivenasSpace, tinySpace } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { supernetLayout } from './supernet-layout.js';

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

describe('supernetLayout', () => {
  const layout = supernetLayout(attentivenasSpace, 1000, 3);
  const spec = (name: string) => layout.parameters.find((p) => p.name === name);

  it('has as many trainable weights as the reference AttentiveNAS supernet', () => {
    const trainable = layout.parameters
      .filter((p) => p.trainable)
      .reduce((sum, p) => sum + sizeOf(p.shape), 0);
    expect(trainable).toBe(23_934_704);
  });

  it('numbers the blocks of the largest subnet stage by stage', () => {
    expect(layout.stageBlocks.map((blocks) => blocks.length)).toEqual([2, 5, 6, 6, 8, 8, 2]);
    expect(layout.blocks).toHaveLength(37);
    expect(layout.stageBlocks[1]).toEqual([2, 3, 4, 5, 6]);
    expect(layout.blocks.map((b) => b.stride).filter((s) => s === 2)).toHaveLength(4);
  });

  it('names and shapes weights as the reference state_dict, in tfjs layouts', () => {
    expect(spec('first_conv.conv.conv.weight')?.shape).toEqual([3, 3, 3, 24]);
    expect(spec('first_conv.bn.bn.running_var')?.shape).toEqual([24]);
    // mb1 has expand ratio 1: no inverted bottleneck, depthwise on the first conv's width.
    expect(
      spec('blocks.0.mobile_inverted_conv.inverted_bottleneck.conv.conv.weight'),
    ).toBeUndefined();
    expect(spec('blocks.0.mobile_inverted_conv.depth_conv.conv.conv.weight')?.shape).toEqual([
      5, 5, 24, 1,
    ]);
    expect(
      spec('blocks.2.mobile_inverted_conv.inverted_bottleneck.conv.conv.weight')?.shape,
    ).toEqual([1, 1, 24, 144]);
    expect(spec('blocks.7.mobile_inverted_conv.depth_conv.se.fc.reduce.weight')?.shape).toEqual([
      1, 1, 192, 48,
    ]);
    expect(spec('blocks.7.mobile_inverted_conv.depth_conv.se.fc.expand.bias')?.shape).toEqual([
      192,
    ]);
    expect(spec('blocks.2.mobile_inverted_conv.depth_conv.se.fc.reduce.weight')).toBeUndefined();
    expect(spec('blocks.2.mobile_inverted_conv.point_linear.conv.conv.weight')?.shape).toEqual([
      1, 1, 144, 32,
    ]);
    expect(spec('blocks.2.shortcut.conv.conv.weight')?.shape).toEqual([1, 1, 24, 32]);
    expect(spec('last_conv.final_expand_layer.conv.conv.weight')?.shape).toEqual([1, 1, 224, 1344]);
    expect(spec('last_conv.feature_mix_layer.conv.conv.weight')?.shape).toEqual([1, 1, 1344, 1984]);
    expect(spec('classifier.linear.linear.weight')?.shape).toEqual([1984, 1000]);
    expect(spec('classifier.linear.linear.bias')?.shape).toEqual([1000]);
    expect(layout.parameters.some((p) => p.name.includes('num_batches_tracked'))).toBe(false);
  });

  it('initialises as the reference: fan-out Kaiming convs, zero last gamma, unit running variance', () => {
    expect(spec('first_conv.conv.conv.weight')?.init).toEqual({
      kind: 'normal',
      std: Math.sqrt(2 / (9 * 24)),
    });
    expect(spec('blocks.0.mobile_inverted_conv.depth_conv.conv.conv.weight')?.init).toEqual({
      kind: 'normal',
      std: Math.sqrt(2 / (25 * 24)),
    });
    expect(spec('blocks.5.mobile_inverted_conv.point_linear.bn.bn.weight')?.init).toEqual({
      kind: 'constant',
      value: 0,
    });
    expect(spec('blocks.5.mobile_inverted_conv.depth_conv.bn.bn.weight')?.init).toEqual({
      kind: 'constant',
      value: 1,
    });
    expect(spec('first_conv.bn.bn.running_var')).toMatchObject({
      trainable: false,
      init: { kind: 'constant', value: 1 },
    });
    expect(spec('classifier.linear.linear.weight')?.init).toEqual({
      kind: 'uniform',
      bound: 1 / Math.sqrt(1984),
    });
  });

  it('sizes the tiny space from its own choices', () => {
    const tiny = supernetLayout(tinySpace, 10, 1);
    expect(tiny.parameters[0]?.shape).toEqual([3, 3, 1, 16]);
    expect(tiny.blocks).toHaveLength(9);
    expect(tiny.blocks[2]).toMatchObject({
      maxIn: 16,
      maxMid: 96,
      maxOut: 24,
      stride: 2,
      hasExpandConv: true,
      se: false,
    });
    expect(tiny.head).toMatchObject({ maxIn: 48, maxExpand: 288, maxOut: 160 });
  });
});
