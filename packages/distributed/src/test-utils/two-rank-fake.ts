import type { Collective, FloatArray, ReduceOp, TypedArray } from '../collective.js';

/**
 * Rank `rank` of a pretend job of two whose other rank holds `other(index)` at every position of
 * every allreduce and broadcast buffer, and the same layout for allgather unless `otherGather`
 * says otherwise. Records the calls, so tests see bucketing.
 */
export function twoRankFake(
  options: {
    readonly rank?: number;
    readonly other?: (index: number) => number;
    readonly otherGather?: (mine: TypedArray) => TypedArray;
  } = {},
): Collective & { readonly calls: string[] } {
  const other = options.other ?? (() => 1);
  const calls: string[] = [];
  return {
    rank: options.rank ?? 0,
    size: 2,
    transport: 'fake',
    calls,
    async allreduce<T extends FloatArray>(buffer: T, op: ReduceOp): Promise<T> {
      calls.push(`allreduce ${op} ${buffer.length}`);
      for (let index = 0; index < buffer.length; index++) {
        const theirs = other(index);
        const mine = buffer[index]!;
        buffer[index] =
          op === 'sum'
            ? mine + theirs
            : op === 'mean'
              ? (mine + theirs) / 2
              : op === 'max'
                ? Math.max(mine, theirs)
                : Math.min(mine, theirs);
      }
      return buffer;
    },
    async broadcast<T extends TypedArray>(buffer: T, root = 0): Promise<T> {
      calls.push(`broadcast ${root} ${buffer.length}`);
      if (root !== (options.rank ?? 0))
        for (let index = 0; index < buffer.length; index++)
          (buffer as Float32Array)[index] = other(index);
      return buffer;
    },
    async allgather<T extends TypedArray>(buffer: T): Promise<T> {
      calls.push(`allgather ${buffer.length}`);
      const theirs = options.otherGather?.(buffer) ?? buffer;
      const Constructor = buffer.constructor as new (length: number) => T;
      const gathered = new Constructor(buffer.length * 2);
      const [first, second] = (options.rank ?? 0) === 0 ? [buffer, theirs] : [theirs, buffer];
      (gathered as Float64Array).set(first as Float64Array, 0);
      (gathered as Float64Array).set(second as Float64Array, buffer.length);
      return gathered;
    },
    async barrier() {
      calls.push('barrier');
    },
    async close() {},
  };
}
