import type { Supernet } from './types.js';

/**
 * Number of trainable weights of the supernet (conv, linear and BN affine; running statistics
 * excluded), as PyTorch's `sum(p.numel() for p in model.parameters())` counts the reference
 * supernet: 23,934,704 for `attentivenas` with 1000 classes.
 */
export function countParameters(supernet: Supernet): number {
  let count = 0;
  for (const name of supernet.trainableNames) {
    const variable = supernet.variables.get(name);
    if (variable !== undefined) count += variable.size;
  }
  return count;
}
