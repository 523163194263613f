import { type SearchSpace, tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import type { Supernet } from '../../types.js';

let created = 0;

/**
 * A `Supernet`-shaped holder of a few variables (conv, BN affine and statistics, classifier)
 * under fresh tfjs names, with values from `seed`; `apply` is not needed by IO.
 */
export function fakeSupernet(
  space: SearchSpace = tinySpace,
  options: { numClasses?: number; inputChannels?: number; seed?: number } = {},
): Supernet {
  const { numClasses = 10, inputChannels = 3, seed = 0 } = options;
  created += 1;
  const prefix = `fake${created}/`;
  const shapes: [string, number[], boolean][] = [
    ['first_conv.conv.weight', [3, 3, inputChannels, 16], true],
    ['first_conv.bn.weight', [16], true],
    ['first_conv.bn.bias', [16], true],
    ['first_conv.bn.running_mean', [16], false],
    ['first_conv.bn.running_var', [16], false],
    ['classifier.linear.weight', [16, numClasses], true],
    ['classifier.linear.bias', [numClasses], true],
  ];
  const variables = new Map<string, tf.Variable>();
  shapes.forEach(([name, shape, trainable], index) => {
    variables.set(
      name,
      tf.tidy(() =>
        tf.variable(
          tf.randomNormal(shape, 0, 1, 'float32', seed * 100 + index),
          trainable,
          prefix + name,
        ),
      ),
    );
  });
  return {
    space,
    numClasses,
    inputChannels,
    variables,
    trainableNames: shapes.filter(([, , trainable]) => trainable).map(([name]) => name),
    apply() {
      throw new Error('fakeSupernet: apply is not implemented');
    },
    dispose() {
      for (const variable of variables.values()) variable.dispose();
    },
  };
}

/** The values of every variable, for bit-exact comparison. */
export function snapshot(supernet: Supernet): Record<string, number[]> {
  return Object.fromEntries(
    [...supernet.variables].map(([key, variable]) => [key, Array.from(variable.dataSync())]),
  );
}
