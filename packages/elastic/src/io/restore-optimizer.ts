import * as tf from '@tensorflow/tfjs-core';
import type { Supernet } from '../types.js';
import { CheckpointError } from './checkpoint-error.js';
import type { Checkpoint, CheckpointableOptimizer } from './checkpoint-format.js';
import { optimizerName } from './optimizer-name.js';
import { toVariableOptimizerNames } from './optimizer-weight-names.js';

/**
 * Restores a checkpoint's optimizer state into a freshly made `optimizer` of the same class
 * (state names follow `supernet`'s current tfjs variable names for tfjs optimizers, supernet
 * keys for others). The optimizer gets its own copies; the checkpoint keeps its tensors.
 */
export async function restoreOptimizer(
  optimizer: CheckpointableOptimizer,
  checkpoint: Checkpoint,
  supernet: Supernet,
): Promise<void> {
  const state = checkpoint.optimizer;
  if (state === undefined) {
    throw new CheckpointError(
      'restoreOptimizer: the checkpoint holds no optimizer state, expected one saved with saveSupernet({ optimizer })',
      undefined,
      'optimizer state',
    );
  }
  const name = optimizerName(optimizer);
  if (name !== state.name) {
    throw new CheckpointError(
      `restoreOptimizer: the checkpoint holds state of optimizer '${state.name}', expected '${name}' (the optimizer given)`,
      state.name,
      name,
    );
  }
  const portableNames = [...state.weights.keys()];
  const names =
    optimizer instanceof tf.Optimizer
      ? toVariableOptimizerNames(portableNames, supernet.variables)
      : portableNames;
  // Copies, because optimizers keep what they are given as their live state.
  const copies = [...state.weights.values()].map((tensor, index) => ({
    name: names[index] as string,
    tensor: tf.clone(tensor),
  }));
  try {
    await optimizer.setWeights(copies);
  } finally {
    // Optimizers wrap the tensors in variables that share (and reference-count) the data,
    // so our handles can go whatever the optimizer kept.
    for (const { tensor } of copies) tensor.dispose();
  }
}
