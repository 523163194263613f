import { attentivenasSpace, maxArch, minArch, tinySpace } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { planSubnet } from './subnet-plan.js';
import { supernetLayout } from './supernet-layout.js';
import { oddMapSpace } from './test-utils/elastic-fixtures.js';

describe('planSubnet', () => {
  const layout = supernetLayout(attentivenasSpace, 1000, 3);

  it('keeps the first depth blocks of each stage with the widths they receive', () => {
    const plan = planSubnet(layout, minArch(attentivenasSpace));
    expect(plan.blocks.map((b) => b.supernetBlock.index)).toEqual([
      0, 2, 3, 4, 7, 8, 9, 13, 14, 15, 19, 20, 21, 27, 28, 29, 35,
    ]);
    expect(plan.stem).toMatchObject({ outChannels: 16, outputSize: 96 });
    const [mb1, mb2] = plan.blocks;
    expect(mb1).toMatchObject({
      inChannels: 16,
      midChannels: 16,
      outChannels: 16,
      kernelSize: 3,
      seChannels: 0,
      outputSize: 96,
      shortcut: 'identity',
    });
    expect(mb2).toMatchObject({
      inChannels: 16,
      midChannels: 64,
      outChannels: 24,
      stride: 2,
      outputSize: 48,
      shortcut: 'avg-pool-conv',
      shortcutPoolPadding: 0,
    });
    expect(plan.head).toMatchObject({
      inChannels: 216,
      expandChannels: 1296,
      featureChannels: 1792,
      inputSize: 6,
    });
  });

  it('derives SE widths from the active middle width and uses a 1x1 shortcut when widths differ', () => {
    const arch = {
      ...maxArch(attentivenasSpace),
      width: [24, 16, 32, 40, 72, 128, 216, 224, 1984],
    };
    const plan = planSubnet(layout, arch);
    const mb1 = plan.blocks[0];
    expect(mb1).toMatchObject({
      inChannels: 24,
      midChannels: 24,
      outChannels: 16,
      shortcut: 'conv',
    });
    const mb3 = plan.blocks.find((b) => b.stage === 2);
    expect(mb3).toMatchObject({ inChannels: 32, midChannels: 192, seChannels: 48 });
  });

  it('pads the pooled shortcut of odd feature maps as the reference', () => {
    const space = oddMapSpace(tinySpace);
    const plan = planSubnet(supernetLayout(space, 10, 3), minArch(space));
    const last = plan.blocks.find((b) => b.stage === space.stages.length - 1);
    expect(last).toMatchObject({
      inputSize: 7,
      outputSize: 4,
      shortcut: 'avg-pool-conv',
      shortcutPoolPadding: 1,
    });
  });
});
