/** How `allreduce` combines the ranks' buffers; `mean` is the sum divided by `size`. */
export type ReduceOp = 'sum' | 'mean' | 'max' | 'min';

export const reduceOps: readonly ReduceOp[] = ['sum', 'mean', 'max', 'min'];

export type FloatArray = Float32Array | Float64Array;

/** Any typed array (not a DataView): what `broadcast` and `allgather` move as bytes. */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/**
 * The collectives data-parallel training needs, small enough that another transport (Gloo, NCCL)
 * could stand behind it. Every rank makes the same calls in the same order with buffers of the
 * same length; the calls are queued, one in flight at a time.
 */
export interface Collective {
  /** This process's rank in `[0, size)`. */
  readonly rank: number;
  readonly size: number;
  /** What carries the data: `'local'`, `'mpi'`, ... */
  readonly transport: string;
  /** Combines `buffer` over all ranks in place; resolves to the same buffer. */
  allreduce<T extends FloatArray>(buffer: T, op: ReduceOp): Promise<T>;
  /** Overwrites `buffer` on every rank with the root's; resolves to the same buffer. */
  broadcast<T extends TypedArray>(buffer: T, root?: number): Promise<T>;
  /** Every rank's `buffer`, concatenated in rank order (a new array of `size` times the length). */
  allgather<T extends TypedArray>(buffer: T): Promise<T>;
  /** Resolves once every rank has called it. */
  barrier(): Promise<void>;
  /** Ends this process's part in the job (for MPI, `MPI_Finalize`); later calls throw. */
  close(): Promise<void>;
}
