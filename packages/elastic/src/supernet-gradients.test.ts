import { type ArchConfig, shortcutHasConv } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupernet, layoutOf } from './create-supernet.js';
import { firstConvNames, headNames } from './parameter-names.js';
import { registerGradients } from './register-gradients.js';
import { planSubnet } from './subnet-plan.js';
import {
  randomBatch,
  randomizeBatchNorms,
  tinyWithKernels,
  useCpu,
} from './test-utils/elastic-fixtures.js';
import type { Supernet } from './types.js';

interface Region {
  readonly begin: readonly number[];
  readonly size: readonly number[];
}

/** The block of every weight that `arch` reads, worked out from the plan by hand. */
function activeRegions(supernet: Supernet, arch: ArchConfig): Map<string, Region> {
  const layout = layoutOf(supernet);
  const plan = planSubnet(layout, arch);
  const regions = new Map<string, Region>();
  const lead = (name: string, ...size: number[]) =>
    regions.set(name, { begin: size.map(() => 0), size });
  const bn = (names: { gamma: string; beta: string }, channels: number) => {
    lead(names.gamma, channels);
    lead(names.beta, channels);
  };
  const k = layout.firstConv.kernelSize;
  lead(firstConvNames.conv, k, k, 3, plan.stem.outChannels);
  bn(firstConvNames.bn, plan.stem.outChannels);
  for (const block of plan.blocks) {
    const { names, maxKernelSize } = block.supernetBlock;
    const { inChannels: inWidth, midChannels: midWidth, outChannels: outWidth } = block;
    const { kernelSize, seChannels: seMid } = block;
    if (block.hasExpandConv) {
      lead(names.expandConv, 1, 1, inWidth, midWidth);
      bn(names.expandBn, midWidth);
    }
    const start = (maxKernelSize - kernelSize) / 2;
    regions.set(names.depthConv, {
      begin: [start, start, 0, 0],
      size: [kernelSize, kernelSize, midWidth, 1],
    });
    bn(names.depthBn, midWidth);
    if (seMid > 0) {
      lead(names.seReduceWeight, 1, 1, midWidth, seMid);
      lead(names.seReduceBias, seMid);
      lead(names.seExpandWeight, 1, 1, seMid, midWidth);
      lead(names.seExpandBias, midWidth);
    }
    lead(names.projectConv, 1, 1, midWidth, outWidth);
    bn(names.projectBn, outWidth);
    if (shortcutHasConv(block.shortcut)) lead(names.shortcutConv, 1, 1, inWidth, outWidth);
  }
  lead(headNames.finalExpandConv, 1, 1, plan.head.inChannels, plan.head.expandChannels);
  bn(headNames.finalExpandBn, plan.head.expandChannels);
  lead(headNames.featureMixConv, 1, 1, plan.head.expandChannels, plan.head.featureChannels);
  lead(headNames.classifierWeight, plan.head.featureChannels, 10);
  lead(headNames.classifierBias, 10);
  return regions;
}

/** Values inside and outside `region` of a gradient. */
function split(gradient: tf.Tensor, region: Region): { inside: number[]; outside: number[] } {
  const buffer = gradient.bufferSync();
  const inside: number[] = [];
  const outside: number[] = [];
  for (let i = 0; i < gradient.size; i++) {
    const location = buffer.indexToLoc(i);
    const within = location.every(
      (v, axis) =>
        v >= (region.begin[axis] as number) &&
        v < (region.begin[axis] as number) + (region.size[axis] as number),
    );
    (within ? inside : outside).push(buffer.values[i] as number);
  }
  return { inside, outside };
}

describe('Supernet.apply gradients', () => {
  let supernet: Supernet;
  beforeAll(async () => {
    await useCpu();
    await registerGradients();
    supernet = createSupernet(tinyWithKernels, {
      numClasses: 10,
      seed: 3,
      variablePrefix: 'gradients/',
    });
    // Non-zero last gammas, so that gradients reach inside every block.
    randomizeBatchNorms(supernet, 4);
  }, 120_000);
  afterAll(() => supernet.dispose());

  it('reach exactly the sliced weights: non-zero inside the slice, zero outside, none elsewhere', () => {
    // Every kind of slice: narrower first conv, 1x1 shortcut, cropped kernels, partial depth, SE.
    const arch: ArchConfig = {
      resolution: 24,
      width: [8, 16, 16, 24, 40, 128],
      depth: [2, 2, 2, 1],
      kernelSize: [3, 5, 3, 3],
      expandRatio: [1, 4, 3, 4],
    };
    const regions = activeRegions(supernet, arch);
    const x = randomBatch([2, 24, 24, 3], 5);
    const upstream = tf.randomNormal([2, 10], 0, 1, 'float32', 6);
    const variables = supernet.trainableNames.map(
      (name) => supernet.variables.get(name) as tf.Variable,
    );
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(supernet.apply(x, arch, { training: true }), upstream)),
      variables,
    );
    expect(tf.memory().numTensors).toBe(before + 1 + Object.keys(grads).length);
    for (const name of supernet.trainableNames) {
      const gradient = grads[`gradients/${name}`];
      const region = regions.get(name);
      if (region === undefined) {
        const unused =
          gradient === undefined || gradient === null
            ? 0
            : tf.tidy(() => tf.max(tf.abs(gradient)).dataSync()[0]);
        expect(unused, name).toBe(0);
        continue;
      }
      expect(gradient, name).toBeDefined();
      const { inside, outside } = split(gradient as tf.Tensor, region);
      expect(
        outside.every((v) => v === 0),
        `${name} outside its slice`,
      ).toBe(true);
      const nonZero = inside.filter((v) => v !== 0).length;
      expect(nonZero / inside.length, `${name} inside its slice`).toBeGreaterThan(0.5);
    }
    tf.dispose([x, upstream, value, ...Object.values(grads)]);
  });
});
