import { tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { oddMapSpace, randomizeBatchNorms } from './supernet-fixtures.js';

describe('randomizeBatchNorms', () => {
  it('gives BN statistics seeded values and leaves the classifier and other weights alone', () => {
    const supernetVariables = () =>
      new Map([
        ['first_conv.bn.running_var', tf.variable(tf.ones([4]))],
        ['first_conv.bn.weight', tf.variable(tf.ones([4]))],
        ['first_conv.bn.bias', tf.variable(tf.zeros([4]))],
        ['classifier.linear.bias', tf.variable(tf.zeros([4]))],
        ['first_conv.conv.weight', tf.variable(tf.ones([1, 1, 1, 4]))],
      ]);
    const variables = supernetVariables();
    randomizeBatchNorms({ variables }, 3);
    const values = (name: string) => Array.from(variables.get(name)!.dataSync());
    for (const value of values('first_conv.bn.running_var')) expect(value).toBeGreaterThan(0.5);
    for (const value of values('first_conv.bn.bias')) expect(Math.abs(value)).toBeLessThan(0.1);
    expect(values('first_conv.bn.weight')).not.toEqual([1, 1, 1, 1]);
    expect(values('classifier.linear.bias')).toEqual([0, 0, 0, 0]);
    expect(values('first_conv.conv.weight')).toEqual([1, 1, 1, 1]);
    const again = supernetVariables();
    randomizeBatchNorms({ variables: again }, 3);
    expect(Array.from(again.get('first_conv.bn.weight')!.dataSync())).toEqual(
      values('first_conv.bn.weight'),
    );
    tf.dispose([...variables.values(), ...again.values()]);
  });
});

describe('oddMapSpace', () => {
  it('keeps the stem and first stage at stride 1 and strides every later stage', () => {
    const space = oddMapSpace(tinySpace);
    expect(space.firstConv.stride).toBe(1);
    expect(space.stages.map((stage) => stage.stride)).toEqual([1, 2, 2, 2]);
    expect(space.resolutions).toEqual([28]);
  });
});
