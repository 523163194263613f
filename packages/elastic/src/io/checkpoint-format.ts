import type { SearchSpace } from '@supernas/search-space';
import type * as tf from '@tensorflow/tfjs-core';

/** The `format` of a supernas checkpoint's model.json (also the tfjs `ModelArtifacts.format`). */
export const checkpointFormat = 'supernas-checkpoint';
/** The checkpoint layout this version writes and reads. */
export const checkpointFormatVersion = 1;
/** Manifest names of optimizer state start with this prefix; supernet weights keep their names. */
export const optimizerWeightPrefix = 'optimizer/';

/** What a checkpoint's model.json carries as `modelTopology`. */
export interface CheckpointTopology {
  readonly format: typeof checkpointFormat;
  readonly formatVersion: typeof checkpointFormatVersion;
  readonly space: SearchSpace;
  readonly numClasses: number;
  readonly inputChannels: number;
  readonly step: number;
  readonly metadata: Record<string, unknown>;
  /** Supernet weight names, in manifest order. */
  readonly weights: readonly string[];
  readonly optimizer: CheckpointOptimizerTopology | null;
  /** CRC-32 of all weight bytes, so corrupt or mismatched files never load silently. */
  readonly checksum: {
    readonly algorithm: 'crc32';
    readonly value: string;
    readonly byteLength: number;
  };
}

export interface CheckpointOptimizerTopology {
  readonly name: string;
  readonly config: Record<string, unknown>;
  /**
   * Optimizer state names in the order `getWeights()` returned them (order matters to tfjs
   * optimizers). Names that start with a supernet variable's tfjs name are rewritten to start
   * with the variable's supernet key instead, so they survive a reload under new tfjs names.
   */
  readonly weights: readonly string[];
}

/** A checkpoint in memory. Its tensors are owned by the caller: free them with `disposeCheckpoint`. */
export interface Checkpoint {
  readonly formatVersion: typeof checkpointFormatVersion;
  readonly space: SearchSpace;
  readonly numClasses: number;
  readonly inputChannels: number;
  readonly step: number;
  readonly metadata: Record<string, unknown>;
  /** Supernet weights by supernet key. */
  readonly weights: ReadonlyMap<string, tf.Tensor>;
  readonly optimizer?: CheckpointOptimizerState;
}

export interface CheckpointOptimizerState {
  readonly name: string;
  readonly config: Record<string, unknown>;
  /** Optimizer state by portable name (see `CheckpointOptimizerTopology.weights`), in order. */
  readonly weights: ReadonlyMap<string, tf.Tensor>;
}

/**
 * The optimizer surface a checkpoint needs. tfjs optimizers (`tf.train.momentum`, `adam`, ...)
 * and `@supernas/trainer`'s `Sgd` both fit.
 */
export interface CheckpointableOptimizer {
  getWeights(): OptimizerStateTensor[] | Promise<OptimizerStateTensor[]>;
  setWeights(weights: OptimizerStateTensor[]): void | Promise<void>;
  getConfig(): object;
  getClassName?(): string;
}

/** One named piece of optimizer state, as tfjs optimizers' `getWeights()` returns them. */
export interface OptimizerStateTensor {
  readonly name: string;
  readonly tensor: tf.Tensor;
}
