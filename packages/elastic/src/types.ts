import type { Activation, ArchConfig, SearchSpace } from '@supernas/search-space';
import type * as tf from '@tensorflow/tfjs-core';

/** Options for one forward pass of a subnet through the shared weights. */
export interface ApplyOptions {
  /** Batch statistics in BN and regularisation on (true) or running statistics (false). */
  readonly training: boolean;
  /** Dropout rate before the classifier (training only). */
  readonly dropout?: number;
  /** Drop-connect (stochastic depth) rate of residual blocks (training only). */
  readonly dropConnect?: number;
  /** Seed for dropout / drop-connect masks; required when either rate is > 0. */
  readonly seed?: number;
  /**
   * Drop-connect only in the blocks of the last two stages, as the reference training config
   * (`drop_connect_only_last_two_stages`). Default true.
   */
  readonly dropConnectOnlyLastTwoStages?: boolean;
}

/**
 * The shared weights of a space. The arch is always an argument: a supernet never holds an
 * "active subnet" state. Parameter names mirror the reference PyTorch state_dict keys
 * (e.g. `first_conv.conv.weight`), so checkpoints map one to one.
 */
export interface Supernet {
  readonly space: SearchSpace;
  readonly numClasses: number;
  readonly inputChannels: number;
  /** Every weight, trainable and not (BN running statistics), by name. */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  /** Names of trainable variables (conv, linear, BN affine). */
  readonly trainableNames: readonly string[];
  /** Runs `arch` on a batch `x` of shape [N, resolution, resolution, inputChannels]; returns logits [N, numClasses]. */
  apply(x: tf.Tensor4D, arch: ArchConfig, options: ApplyOptions): tf.Tensor2D;
  dispose(): void;
}

/**
 * A static subnet as data: named weights and a topologically ordered list of nodes over named
 * tensors. `extractSubnet` builds it; `runStaticSubnet` interprets it; `foldBatchNorm` and the
 * graph-model exporter transform it. The input tensor is named `input`, the output `logits`.
 */
export type StaticNode =
  | {
      readonly kind: 'conv2d';
      readonly input: string;
      readonly output: string;
      /** HWIO for a regular conv, [k, k, C, 1] for a depthwise conv. */
      readonly weight: string;
      readonly bias?: string;
      readonly kernelSize: number;
      readonly stride: number;
      readonly depthwise: boolean;
      /** Symmetric zero padding on each spatial side (PyTorch style: kernelSize >> 1 for convs). */
      readonly padding: number;
    }
  | {
      readonly kind: 'batchNorm';
      readonly input: string;
      readonly output: string;
      readonly gamma: string;
      readonly beta: string;
      readonly mean: string;
      readonly variance: string;
      readonly epsilon: number;
    }
  | {
      readonly kind: 'activation';
      readonly input: string;
      readonly output: string;
      readonly activation: Activation | 'sigmoid' | 'h_sigmoid';
    }
  | { readonly kind: 'add'; readonly inputs: readonly [string, string]; readonly output: string }
  /** Broadcasting multiply: `inputs[1]` is [N, 1, 1, C] (the SE gate). */
  | {
      readonly kind: 'multiply';
      readonly inputs: readonly [string, string];
      readonly output: string;
    }
  /** Global average pool keeping dims: [N, H, W, C] -> [N, 1, 1, C]. */
  | { readonly kind: 'globalAvgPool'; readonly input: string; readonly output: string }
  /** Average pool (shortcut of strided blocks); `ceilMode` as PyTorch's. */
  | {
      readonly kind: 'avgPool';
      readonly input: string;
      readonly output: string;
      readonly size: number;
      readonly stride: number;
      readonly ceilMode: boolean;
      /**
       * Zeros added on each spatial side before pooling and counted in the average (PyTorch
       * `count_include_pad=True`); the reference shortcut pads odd sizes by 1. Absent means 0.
       */
      readonly padding?: number;
    }
  /** [N, 1, 1, C] -> [N, C]. */
  | { readonly kind: 'flatten'; readonly input: string; readonly output: string }
  /** Dense layer: weight [in, out], bias [out]. */
  | {
      readonly kind: 'dense';
      readonly input: string;
      readonly output: string;
      readonly weight: string;
      readonly bias?: string;
    };

export interface StaticSubnet {
  readonly format: 'supernas-subnet';
  readonly formatVersion: 1;
  readonly space: SearchSpace;
  readonly arch: ArchConfig;
  readonly numClasses: number;
  readonly inputChannels: number;
  readonly nodes: readonly StaticNode[];
  /** Owned copies of the sliced weights (dispose with the subnet). */
  readonly weights: ReadonlyMap<string, tf.Tensor>;
}
