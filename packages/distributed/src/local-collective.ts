import type { Collective, FloatArray, ReduceOp, TypedArray } from './collective.js';
import { CollectiveStateError } from './errors.js';
import {
  checkFloatArray,
  checkReduceOp,
  checkRoot,
  checkTypedArray,
  gatherTarget,
} from './validate.js';

/**
 * The collective of a job of one: every reduction returns the buffer as it is. Lets the same
 * training code run with or without MPI.
 */
export function localCollective(): Collective {
  let closed = false;
  const open = (operation: string) => {
    if (closed) throw new CollectiveStateError(`${operation}: the local collective was closed`);
  };
  return {
    rank: 0,
    size: 1,
    transport: 'local',
    async allreduce<T extends FloatArray>(buffer: T, op: ReduceOp): Promise<T> {
      open('allreduce');
      checkFloatArray('allreduce', buffer);
      checkReduceOp(op);
      return buffer;
    },
    async broadcast<T extends TypedArray>(buffer: T, root = 0): Promise<T> {
      open('broadcast');
      checkTypedArray('broadcast', buffer);
      checkRoot(root, 1);
      return buffer;
    },
    async allgather<T extends TypedArray>(buffer: T): Promise<T> {
      open('allgather');
      checkTypedArray('allgather', buffer);
      const gathered = gatherTarget(buffer, 1);
      (gathered as unknown as { set(source: ArrayLike<unknown>): void }).set(
        buffer as unknown as ArrayLike<unknown>,
      );
      return gathered;
    },
    async barrier(): Promise<void> {
      open('barrier');
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}
