import type { Supernet } from '../types.js';
import { assertSameSpace } from './assert-same-space.js';
import { CheckpointError } from './checkpoint-error.js';
import type { Checkpoint } from './checkpoint-format.js';

/**
 * Copies a checkpoint's weights into `supernet`'s variables after checking that the space,
 * class count, input channels, weight names, shapes and dtypes all match; nothing is assigned
 * unless everything does. The checkpoint keeps its own tensors.
 */
export function restoreSupernet(supernet: Supernet, checkpoint: Checkpoint): void {
  const caller = 'restoreSupernet';
  assertSameSpace(checkpoint.space, supernet.space, caller);
  for (const field of ['numClasses', 'inputChannels'] as const) {
    if (checkpoint[field] !== supernet[field]) {
      throw new CheckpointError(
        `${caller}: the checkpoint has ${field} ${checkpoint[field]}, expected ${supernet[field]} (the supernet's)`,
        checkpoint[field],
        supernet[field],
      );
    }
  }
  const missing = [...supernet.variables.keys()].filter((key) => !checkpoint.weights.has(key));
  const unexpected = [...checkpoint.weights.keys()].filter((key) => !supernet.variables.has(key));
  if (missing.length > 0 || unexpected.length > 0) {
    throw new CheckpointError(
      `${caller}: weight names differ: missing from the checkpoint [${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}], not in the supernet [${unexpected.slice(0, 5).join(', ')}${unexpected.length > 5 ? ', ...' : ''}]`,
      unexpected,
      missing,
    );
  }
  for (const [key, variable] of supernet.variables) {
    const tensor = checkpoint.weights.get(key);
    if (tensor === undefined) continue;
    const sameShape =
      tensor.shape.length === variable.shape.length &&
      tensor.shape.every((dimension, axis) => dimension === variable.shape[axis]);
    if (!sameShape || tensor.dtype !== variable.dtype) {
      throw new CheckpointError(
        `${caller}: weight '${key}' is ${tensor.dtype}[${tensor.shape.join(', ')}] in the checkpoint, expected ${variable.dtype}[${variable.shape.join(', ')}]`,
        tensor.shape,
        variable.shape,
      );
    }
  }
  for (const [key, variable] of supernet.variables) {
    variable.assign(checkpoint.weights.get(key) as typeof variable);
  }
}
