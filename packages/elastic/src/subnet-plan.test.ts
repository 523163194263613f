import { attentivenasSpace, maxArch, minArch, tinySpace } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { convOutputSize, planSubnet } from './subnet-plan.js';
import { supernetLayout } from './supernet-layout.js';
import { oddMapSpace } from './test-utils/elastic-fixtures.js';

describe('convOutputSize', () => {
  it('matches PyTorch with padding k >> 1', () => {
    expect(convOutputSize(192, 3, 2)).toBe(96);
    expect(convOutputSize(7, 5, 2)).toBe(4);
    expect(convOutputSize(7, 3, 1)).toBe(7);
  });
});

describe('planSubnet', () => {
  const layout = supernetLayout(attentivenasSpace, 1000, 3);

  it('keeps the first depth blocks of each stage with the widths they receive', () => {
    const plan = planSubnet(layout, minArch(attentivenasSpace));
    expect(plan.blocks.map((b) => b.layout.index)).toEqual([
      0, 2, 3, 4, 7, 8, 9, 13, 14, 15, 19, 20, 21, 27, 28, 29, 35,
    ]);
    expect(plan.firstConv).toEqual({ outWidth: 16, outputSize: 96 });
    const [mb1, mb2] = plan.blocks;
    expect(mb1).toMatchObject({
      inWidth: 16,
      midWidth: 16,
      outWidth: 16,
      kernelSize: 3,
      seMid: 0,
      outputSize: 96,
    });
    expect(mb1?.shortcut.identity).toBe(true);
    expect(mb2).toMatchObject({
      inWidth: 16,
      midWidth: 64,
      outWidth: 24,
      stride: 2,
      outputSize: 48,
    });
    expect(mb2?.shortcut).toEqual({ identity: false, poolSize: 2, poolPadding: 0, conv: true });
    expect(plan.head).toEqual({ inWidth: 216, expandWidth: 1296, outWidth: 1792, inputSize: 6 });
  });

  it('derives SE widths from the active middle width and uses a 1x1 shortcut when widths differ', () => {
    const arch = {
      ...maxArch(attentivenasSpace),
      width: [24, 16, 32, 40, 72, 128, 216, 224, 1984],
    };
    const plan = planSubnet(layout, arch);
    const mb1 = plan.blocks[0];
    expect(mb1).toMatchObject({ inWidth: 24, midWidth: 24, outWidth: 16 });
    expect(mb1?.shortcut).toEqual({ identity: false, poolSize: 1, poolPadding: 0, conv: true });
    const mb3 = plan.blocks.find((b) => b.layout.stage === 2);
    expect(mb3).toMatchObject({ inWidth: 32, midWidth: 192, seMid: 48 });
  });

  it('pads the pooled shortcut of odd feature maps as the reference', () => {
    const space = oddMapSpace(tinySpace);
    const plan = planSubnet(supernetLayout(space, 10, 3), minArch(space));
    const last = plan.blocks.find((b) => b.layout.stage === space.stages.length - 1);
    expect(last).toMatchObject({ inputSize: 7, outputSize: 4 });
    expect(last?.shortcut).toEqual({ identity: false, poolSize: 2, poolPadding: 1, conv: true });
  });
});
