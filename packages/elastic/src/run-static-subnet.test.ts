import { maxArch, tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupernet } from './create-supernet.js';
import { disposeStaticSubnet } from './dispose-static-subnet.js';
import { DisposedError, InputShapeError, MissingWeightError, StaticGraphError } from './errors.js';
import { extractSubnet } from './extract-subnet.js';
import { runStaticSubnet } from './run-static-subnet.js';
import { randomBatch, useCpu } from './test-utils/elastic-fixtures.js';
import type { StaticSubnet, Supernet } from './types.js';

describe('runStaticSubnet', () => {
  let supernet: Supernet;
  let subnet: StaticSubnet;
  beforeAll(async () => {
    await useCpu();
    supernet = createSupernet(tinySpace, { numClasses: 4 });
    subnet = extractSubnet(supernet, { ...maxArch(tinySpace), resolution: 24 });
  });
  afterAll(() => {
    disposeStaticSubnet(subnet);
    supernet.dispose();
  });

  it('returns logits and leaves no intermediate tensor behind', () => {
    const x = randomBatch([3, 24, 24, 3], 1);
    const before = tf.memory().numTensors;
    const logits = runStaticSubnet(subnet, x);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(logits.shape).toEqual([3, 4]);
    tf.dispose([x, logits]);
  });

  it('rejects an input of another resolution, naming both', () => {
    const x = randomBatch([1, 32, 32, 3], 1);
    expect(() => runStaticSubnet(subnet, x)).toThrow(InputShapeError);
    expect(() => runStaticSubnet(subnet, x)).toThrow(/input is 32x32 but arch.resolution is 24/);
    x.dispose();
  });

  it('names a missing weight and a node that reads an unknown tensor', () => {
    const x = randomBatch([1, 24, 24, 3], 1);
    const before = tf.memory().numTensors;
    const weights = new Map(subnet.weights);
    weights.delete('first_conv.bn.weight');
    expect(() => runStaticSubnet({ ...subnet, weights }, x)).toThrow(MissingWeightError);
    expect(() => runStaticSubnet({ ...subnet, weights }, x)).toThrow(/first_conv.bn.weight/);
    const nodes = subnet.nodes.filter((node) => node.output !== 'first_conv.bn');
    expect(() => runStaticSubnet({ ...subnet, nodes }, x)).toThrow(StaticGraphError);
    expect(() => runStaticSubnet({ ...subnet, nodes }, x)).toThrow(
      /input first_conv.bn is not produced/,
    );
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('refuses to run a disposed subnet', () => {
    const own = extractSubnet(supernet, { ...maxArch(tinySpace), resolution: 24 });
    disposeStaticSubnet(own);
    disposeStaticSubnet(own);
    const x = randomBatch([1, 24, 24, 3], 1);
    expect(() => runStaticSubnet(own, x)).toThrow(DisposedError);
    x.dispose();
  });
});
