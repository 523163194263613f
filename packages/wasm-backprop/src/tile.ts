import type * as tf from '@tensorflow/tfjs-core';
import type { KernelArguments, WasmHeapBackend } from './wasm-heap.js';

/**
 * `Tile` for wasm as block copies (`copyWithin`) inside the heap. The built-in kernel computes
 * every output index separately; on the `[1, 1, 1, C]` to `[N, H, W, C]` tiles of the batch-norm
 * gradient it is hundreds of times slower. String tensors go to the built-in kernel.
 */
export function createTile(builtin: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArguments) => {
    const { x } = args.inputs as tf.TileInputs;
    if (x!.dtype === 'string') return builtin(args);
    const { reps } = args.attrs as unknown as tf.TileAttrs;
    const backend = args.backend as WasmHeapBackend;
    const shape = x!.shape;
    const out = backend.makeOutput(
      shape.map((size, axis) => size * reps[axis]!),
      x!.dtype,
    );
    // Views are taken after makeOutput, which may grow (and so detach) the heap.
    const source = backend.typedArrayFromHeap(x!);
    const target = backend.typedArrayFromHeap(out);
    target.set(source);
    tileInPlace(target, shape, reps);
    return out;
  };
}

/**
 * Expands `data`, which holds the input in its first elements, to the tiled output, innermost
 * axis first. After the axes inside `axis` are done, the data is `groups` blocks of `blockSize`;
 * each block is then repeated `reps[axis]` times, last block first so no source is overwritten
 * before it is copied.
 */
export function tileInPlace(
  data: Float32Array | Int32Array | Uint8Array,
  shape: readonly number[],
  reps: readonly number[],
): void {
  let groups = shape.reduce((product, size) => product * size, 1);
  let innerSize = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const size = shape[axis]!;
    const repeat = reps[axis]!;
    groups /= size;
    const blockSize = size * innerSize;
    if (repeat > 1) {
      for (let group = groups - 1; group >= 0; group--) {
        const source = group * blockSize;
        const target = source * repeat;
        if (blockSize === 1) {
          data.fill(data[source]!, target, target + repeat);
          continue;
        }
        for (let copy = repeat - 1; copy >= 0; copy--) {
          data.copyWithin(target + copy * blockSize, source, source + blockSize);
        }
      }
    }
    innerSize = blockSize * repeat;
  }
}
