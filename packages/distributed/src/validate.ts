import { type FloatArray, type ReduceOp, reduceOps, type TypedArray } from './collective.js';
import { InvalidCollectiveArgumentError } from './errors.js';

export function checkFloatArray(operation: string, buffer: unknown): asserts buffer is FloatArray {
  if (!(buffer instanceof Float32Array || buffer instanceof Float64Array))
    throw new InvalidCollectiveArgumentError(
      operation,
      'buffer',
      buffer,
      'a Float32Array or Float64Array',
    );
}

export function checkTypedArray(operation: string, buffer: unknown): asserts buffer is TypedArray {
  if (!ArrayBuffer.isView(buffer) || buffer instanceof DataView)
    throw new InvalidCollectiveArgumentError(operation, 'buffer', buffer, 'a typed array');
}

export function checkReduceOp(op: unknown): asserts op is ReduceOp {
  if (!reduceOps.includes(op as ReduceOp))
    throw new InvalidCollectiveArgumentError(
      'allreduce',
      'op',
      op,
      `one of ${reduceOps.join(', ')}`,
    );
}

export function checkRoot(root: unknown, size: number): asserts root is number {
  if (!(Number.isInteger(root) && (root as number) >= 0 && (root as number) < size))
    throw new InvalidCollectiveArgumentError('broadcast', 'root', root, `a rank in [0, ${size})`);
}

/** A new array of the same type as `buffer` with room for `size` copies of it. */
export function gatherTarget<T extends TypedArray>(buffer: T, size: number): T {
  const Constructor = buffer.constructor as new (length: number) => T;
  return new Constructor(buffer.length * size);
}
