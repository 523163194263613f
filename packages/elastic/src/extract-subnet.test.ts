import {
  type ArchConfig,
  attentivenasSpace,
  createRng,
  InvalidArchError,
  maxArch,
  minArch,
  sampleArch,
  tinySpace,
} from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupernet } from './create-supernet.js';
import { disposeStaticSubnet } from './dispose-static-subnet.js';
import { extractSubnet } from './extract-subnet.js';
import { runStaticSubnet } from './run-static-subnet.js';
import {
  atResolution,
  maxAbsDifference,
  oddMapSpace,
  randomBatch,
  randomizeBatchNorms,
  tinyWithKernels,
  useCpu,
} from './test-utils/elastic-fixtures.js';
import type { Supernet } from './types.js';

function expectSameEvalOutput(supernet: Supernet, arch: ArchConfig, seed: number): void {
  const x = randomBatch([2, arch.resolution, arch.resolution, supernet.inputChannels], seed);
  const before = tf.memory().numTensors;
  const subnet = extractSubnet(supernet, arch);
  const fromSupernet = supernet.apply(x, arch, { training: false });
  const fromSubnet = runStaticSubnet(subnet, x);
  expect(fromSubnet.shape).toEqual([2, supernet.numClasses]);
  expect(maxAbsDifference(fromSupernet, fromSubnet)).toBeLessThanOrEqual(1e-5);
  tf.dispose([fromSupernet, fromSubnet]);
  disposeStaticSubnet(subnet);
  expect(tf.memory().numTensors).toBe(before);
  x.dispose();
}

describe('extractSubnet', () => {
  let tiny: Supernet;
  beforeAll(async () => {
    await useCpu();
    tiny = createSupernet(tinyWithKernels, { numClasses: 10, seed: 11 });
    randomizeBatchNorms(tiny, 12);
  });
  afterAll(() => tiny.dispose());

  it('gives a static subnet whose eval output equals the supernet for min, max and random archs', () => {
    expectSameEvalOutput(tiny, minArch(tinyWithKernels), 1);
    expectSameEvalOutput(tiny, maxArch(tinyWithKernels), 2);
    expectSameEvalOutput(tiny, sampleArch(tinyWithKernels, createRng(3)), 3);
  });

  it('matches where the pooled shortcut pads an odd feature map', () => {
    const space = oddMapSpace(tinySpace);
    const supernet = createSupernet(space, { numClasses: 10, seed: 5 });
    randomizeBatchNorms(supernet, 6);
    expectSameEvalOutput(supernet, sampleArch(space, createRng(3)), 3);
    const subnet = extractSubnet(supernet, minArch(space));
    expect(
      subnet.nodes.filter((node) => node.kind === 'avgPool').map((node) => node.padding),
    ).toContain(1);
    disposeStaticSubnet(subnet);
    supernet.dispose();
  });

  it('matches on the attentivenas structure (SE, mb1 without expansion, the v3 head)', () => {
    const space = atResolution(attentivenasSpace, 32);
    const supernet = createSupernet(space, { numClasses: 5, seed: 1 });
    randomizeBatchNorms(supernet, 2);
    expectSameEvalOutput(supernet, sampleArch(space, createRng(8)), 4);
    supernet.dispose();
  });

  it('names weights as the reference static model and copies exactly the slices', () => {
    const arch: ArchConfig = {
      resolution: 24,
      width: [8, 16, 16, 24, 40, 128],
      depth: [1, 2, 2, 1],
      kernelSize: [3, 3, 3, 5],
      expandRatio: [1, 4, 3, 4],
    };
    const subnet = extractSubnet(tiny, arch);
    expect(subnet).toMatchObject({
      format: 'supernas-subnet',
      formatVersion: 1,
      numClasses: 10,
      inputChannels: 3,
    });
    const shape = (name: string) => subnet.weights.get(name)?.shape;
    expect(shape('first_conv.conv.weight')).toEqual([3, 3, 3, 8]);
    expect(shape('first_conv.bn.running_var')).toEqual([8]);
    expect(shape('blocks.0.mobile_inverted_conv.depth_conv.conv.weight')).toEqual([3, 3, 8, 1]);
    expect(shape('blocks.0.shortcut.conv.weight')).toEqual([1, 1, 8, 16]);
    // Block 1 of the subnet is block 2 of the supernet (mb1 runs one of its two blocks).
    expect(shape('blocks.1.mobile_inverted_conv.inverted_bottleneck.conv.weight')).toEqual([
      1, 1, 16, 64,
    ]);
    expect(shape('blocks.3.mobile_inverted_conv.depth_conv.se.fc.reduce.weight')).toEqual([
      1, 1, 48, 16,
    ]);
    expect(shape('blocks.2.shortcut.conv.weight')).toBeUndefined();
    expect(shape('last_conv.0.conv.weight')).toEqual([1, 1, 40, 240]);
    expect(shape('last_conv.2.conv.weight')).toEqual([1, 1, 240, 128]);
    expect(shape('classifier.linear.weight')).toEqual([128, 10]);

    // A 3x3 kernel is the centre of the shared 5x5 one.
    const shared = tiny.variables.get(
      'blocks.2.mobile_inverted_conv.depth_conv.conv.conv.weight',
    ) as tf.Variable;
    const centre = tf.slice(shared, [1, 1, 0, 0], [3, 3, 64, 1]);
    const copied = subnet.weights.get(
      'blocks.1.mobile_inverted_conv.depth_conv.conv.weight',
    ) as tf.Tensor;
    expect(maxAbsDifference(centre, copied)).toBe(0);
    centre.dispose();

    const outputs = subnet.nodes.map((node) => node.output);
    expect(outputs.slice(0, 3)).toEqual(['first_conv.conv', 'first_conv.bn', 'first_conv.act']);
    expect(outputs).toContain('blocks.3.mobile_inverted_conv.depth_conv.se');
    expect(outputs).toContain('blocks.1.shortcut.pool');
    expect(outputs.slice(-4)).toEqual(['last_conv.2.conv', 'last_conv.2.act', 'flatten', 'logits']);
    expect(new Set(outputs).size).toBe(outputs.length);
    disposeStaticSubnet(subnet);
  });

  it('owns its weights: they outlive changes to the supernet', () => {
    const arch = maxArch(tinyWithKernels);
    const subnet = extractSubnet(tiny, arch);
    const name = 'first_conv.conv.conv.weight';
    const variable = tiny.variables.get(name) as tf.Variable;
    const original = tf.clone(variable);
    tf.tidy(() => variable.assign(tf.zerosLike(variable)));
    expect(
      maxAbsDifference(subnet.weights.get('first_conv.conv.weight') as tf.Tensor, original),
    ).toBe(0);
    variable.assign(original);
    original.dispose();
    disposeStaticSubnet(subnet);
  });

  it('rejects an arch of another space', () => {
    expect(() => extractSubnet(tiny, maxArch(attentivenasSpace))).toThrow(InvalidArchError);
  });
});
