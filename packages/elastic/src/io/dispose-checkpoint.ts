import type { Checkpoint } from './checkpoint-format.js';

/** Frees every tensor a `loadCheckpoint` result holds. */
export function disposeCheckpoint(checkpoint: Checkpoint): void {
  for (const tensor of checkpoint.weights.values()) tensor.dispose();
  for (const tensor of checkpoint.optimizer?.weights.values() ?? []) tensor.dispose();
}
