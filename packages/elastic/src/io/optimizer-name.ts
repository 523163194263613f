import type { CheckpointableOptimizer } from './checkpoint-format.js';

/** The class name a checkpoint records for an optimizer (tfjs' registered name when it has one). */
export function optimizerName(optimizer: CheckpointableOptimizer): string {
  return optimizer.getClassName?.() ?? optimizer.constructor.name;
}
