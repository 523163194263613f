import type * as tf from '@tensorflow/tfjs-core';

/**
 * The part of `@tensorflow/tfjs-backend-wasm`'s `BackendWasm` that a kernel needs to write its
 * output straight into the wasm heap (declared here so this package needs no types from it).
 */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: tf.DataId): void;
  disposeData(dataId: tf.DataId): boolean;
  getMemoryOffset(dataId: tf.DataId): number;
  /** The Emscripten module; its exported memory is where every tensor lives. */
  wasm?: { asm?: { memory?: unknown }; wasmMemory?: unknown };
}

/** Kernel arguments, as tfjs passes them to a kernel function. */
export type KernelArguments = Parameters<tf.KernelFunc>[0];
