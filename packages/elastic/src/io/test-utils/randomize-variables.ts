import { createRng } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import type { Supernet } from '../../types.js';

/**
 * Gives every vector variable (BN statistics and affine, biases) seeded values that make each
 * part matter: BN variances in [0.5, 1.5), BN scales near 1, the rest small normal noise. A fresh
 * supernet's BN is the identity and some gammas are zero, which would hide folding and export
 * mistakes. Conv and linear weights keep their (Kaiming) initialisation, so activations keep a
 * realistic scale.
 */
export function randomizeVariables(supernet: Supernet, seed: number): void {
  const rng = createRng(seed);
  for (const [name, variable] of supernet.variables) {
    if (variable.rank !== 1) continue;
    const isBatchNorm = name.includes('.bn.');
    const values = Float32Array.from({ length: variable.size }, () => {
      if (isBatchNorm && name.endsWith('.running_var')) return 0.5 + rng.next();
      if (isBatchNorm && name.endsWith('.weight')) return 1 + 0.2 * rng.normal();
      return 0.1 * rng.normal();
    });
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
  }
}
