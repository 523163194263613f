import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPortableOptimizerNames, toVariableOptimizerNames } from './optimizer-weight-names.js';

describe('toPortableOptimizerNames', () => {
  let variables: Map<string, tf.Variable>;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    variables = new Map([
      ['stem.weight', tf.variable(tf.zeros([1]), true, 'net7/stem.weight')],
      ['stem.weight.extra', tf.variable(tf.zeros([1]), true, 'net7/stem.weight/extra')],
    ]);
  });
  afterAll(() => {
    for (const variable of variables.values()) variable.dispose();
  });

  it('replaces the tfjs variable name by the supernet key, longest prefix first', () => {
    expect(
      toPortableOptimizerNames(
        ['iter', 'net7/stem.weight/momentum', 'net7/stem.weight/extra/momentum', 'other/m'],
        variables,
      ),
    ).toEqual(['iter', 'stem.weight/momentum', 'stem.weight.extra/momentum', 'other/m']);
  });

  it('is undone by toVariableOptimizerNames', () => {
    const names = ['iter', 'net7/stem.weight/momentum', 'net7/stem.weight/extra/momentum'];
    expect(toVariableOptimizerNames(toPortableOptimizerNames(names, variables), variables)).toEqual(
      names,
    );
  });
});
