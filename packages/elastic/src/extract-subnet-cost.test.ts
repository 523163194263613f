import { countFlops } from '@supernas/flops';
import {
  type ArchConfig,
  attentivenasSpace,
  createRng,
  maxArch,
  minArch,
  type SearchSpace,
  sampleArch,
  tinySpace,
} from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSupernet } from './create-supernet.js';
import { disposeStaticSubnet } from './dispose-static-subnet.js';
import { extractSubnet } from './extract-subnet.js';
import { runStaticSubnet } from './run-static-subnet.js';
import {
  atResolution,
  maxAbsDifference,
  randomBatch,
  randomizeBatchNorms,
  useCpu,
} from './test-utils/elastic-fixtures.js';
import { type StaticSubnetCost, staticSubnetCost } from './test-utils/static-subnet-cost.js';
import type { Supernet } from './types.js';

function seededArchs(space: SearchSpace, count: number, seed: number): ArchConfig[] {
  const rng = createRng(seed);
  return [
    minArch(space),
    maxArch(space),
    ...Array.from({ length: count }, () => sampleArch(space, rng)),
  ];
}

/** Extracts `arch`, measures the static model, frees it, and checks that nothing leaked. */
function measureExtracted(supernet: Supernet, arch: ArchConfig): StaticSubnetCost {
  const before = tf.memory().numTensors;
  const subnet = extractSubnet(supernet, arch);
  const cost = staticSubnetCost(subnet);
  disposeStaticSubnet(subnet);
  expect(tf.memory().numTensors).toBe(before);
  return cost;
}

/**
 * `countFlops` against the model `extractSubnet` builds. The static model holds only the layers
 * it runs, so its weights are `usedParams`; `params` follows the reference, whose extracted
 * blocks all carry a 1x1 shortcut conv, run or not, so it adds those idle convs' weights.
 */
function expectCountsOfExtracted(supernet: Supernet, archs: readonly ArchConfig[]): void {
  const options = { numClasses: supernet.numClasses, inputChannels: supernet.inputChannels };
  for (const arch of archs) {
    const counted = countFlops(supernet.space, arch, options);
    const extracted = measureExtracted(supernet, arch);
    expect({ arch, ...counted }).toEqual({
      arch,
      flops: extracted.flops,
      params: extracted.params + extracted.idleShortcutParams,
      usedParams: extracted.params,
    });
  }
}

describe('extractSubnet', () => {
  beforeAll(useCpu);

  it('holds the weights and FLOPs countFlops reports, for 50 seeded archs of tiny', () => {
    const supernet = createSupernet(tinySpace, { numClasses: 10, seed: 3 });
    expectCountsOfExtracted(supernet, seededArchs(tinySpace, 50, 21));
    supernet.dispose();
  });

  it('holds the weights and FLOPs countFlops reports, for seeded archs of attentivenas', () => {
    // Weight shapes do not depend on the resolution; 32 px keeps the structure and the time low.
    const space = atResolution(attentivenasSpace, 32);
    const supernet = createSupernet(space, { numClasses: 5, seed: 4 });
    expectCountsOfExtracted(supernet, seededArchs(space, 8, 22));
    supernet.dispose();
  });

  it('keeps the expand conv for expand ratio 1 in a stage that offers other ratios', () => {
    // mb2 offers ratios 1, 3 and 6, so its blocks have the expand conv, and ratio 1 runs it with
    // make_divisible(12, 8) = 16 hidden channels on a 12-wide input, as the reference's dynamic
    // block; mb1 offers ratio 1 only and runs its depthwise conv on the input.
    const space: SearchSpace = {
      ...tinySpace,
      name: 'tiny-mixed-ratios',
      firstConv: { ...tinySpace.firstConv, widths: [12, 16] },
      stages: tinySpace.stages.map((stage, index) => {
        if (index === 0) return { ...stage, widths: [12, 16] };
        return index === 1 ? { ...stage, expandRatios: [1, 3, 6] } : stage;
      }),
    };
    const supernet = createSupernet(space, { numClasses: 10, seed: 5 });
    randomizeBatchNorms(supernet, 6);
    const before = tf.memory().numTensors;
    const arch: ArchConfig = {
      resolution: 24,
      width: [12, 12, 16, 24, 40, 128],
      depth: [1, 2, 1, 1],
      kernelSize: [3, 3, 3, 3],
      expandRatio: [1, 1, 3, 4],
    };
    const subnet = extractSubnet(supernet, arch);
    const shape = (name: string) => subnet.weights.get(name)?.shape;
    expect(shape('blocks.0.mobile_inverted_conv.inverted_bottleneck.conv.weight')).toBeUndefined();
    expect(shape('blocks.0.mobile_inverted_conv.depth_conv.conv.weight')).toEqual([3, 3, 12, 1]);
    expect(shape('blocks.1.mobile_inverted_conv.inverted_bottleneck.conv.weight')).toEqual([
      1, 1, 12, 16,
    ]);
    expect(shape('blocks.2.mobile_inverted_conv.inverted_bottleneck.conv.weight')).toEqual([
      1, 1, 16, 16,
    ]);
    // The extracted model computes what the supernet does.
    const x = randomBatch([2, 24, 24, 3], 7);
    const fromSupernet = supernet.apply(x, arch, { training: false });
    const fromSubnet = runStaticSubnet(subnet, x);
    expect(maxAbsDifference(fromSupernet, fromSubnet)).toBeLessThanOrEqual(1e-5);
    tf.dispose([x, fromSupernet, fromSubnet]);
    disposeStaticSubnet(subnet);
    expect(tf.memory().numTensors).toBe(before);
    expectCountsOfExtracted(supernet, [arch, ...seededArchs(space, 20, 23)]);
    supernet.dispose();
  });
});
