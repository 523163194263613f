import { createRng, type SearchSpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Replaces every BN's affine and running statistics with seeded random values (gammas away from
 * zero, variances positive), so that tests see every branch contribute, eval differ from
 * training, and BN folding do something. Takes any supernet (`@supernas/elastic`'s, by shape).
 */
export function randomizeBatchNorms(
  supernet: { readonly variables: ReadonlyMap<string, tf.Variable> },
  seed: number,
): void {
  const rng = createRng(seed);
  for (const [name, variable] of supernet.variables) {
    if (variable.rank !== 1 || name.startsWith('classifier') || name.includes('.se.')) continue;
    const values = new Float32Array(variable.size);
    for (let i = 0; i < values.length; i++) {
      const u = rng.next();
      if (name.endsWith('.running_var')) values[i] = 0.5 + u;
      else if (name.endsWith('.weight')) values[i] = 0.5 + u;
      else values[i] = 0.2 * (u - 0.5);
    }
    tf.tidy(() => variable.assign(tf.tensor1d(values)));
  }
}

/**
 * `space` with a stride-1 stem and every later stage strided: at 28 px the last stage's first
 * block sees a 7x7 map, which the pooled shortcut pads (whatever the preset's strides are).
 */
export function oddMapSpace(space: SearchSpace): SearchSpace {
  return {
    ...space,
    name: `${space.name}-odd`,
    resolutions: [28],
    firstConv: { ...space.firstConv, stride: 1 },
    stages: space.stages.map((stage, index) => ({ ...stage, stride: index === 0 ? 1 : 2 })),
  };
}
