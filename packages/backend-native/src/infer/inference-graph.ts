/**
 * The graph `SupernasStaticSubnet` runs: `@supernas/elastic`'s `StaticNode`s, restated here so
 * this package does not depend on elastic (which must not depend on a backend either). The input
 * tensor is named `input`, the output `logits`; layouts are tfjs' (NHWC activations, HWIO conv
 * weights, [k, k, C, multiplier] depthwise, [in, out] dense).
 */
export type InferenceNode =
  | {
      readonly kind: 'conv2d';
      readonly input: string;
      readonly output: string;
      readonly weight: string;
      readonly bias?: string;
      readonly kernelSize: number;
      readonly stride: number;
      readonly depthwise: boolean;
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
      readonly activation: string;
    }
  | { readonly kind: 'add'; readonly inputs: readonly [string, string]; readonly output: string }
  | {
      readonly kind: 'multiply';
      readonly inputs: readonly [string, string];
      readonly output: string;
    }
  | { readonly kind: 'globalAvgPool'; readonly input: string; readonly output: string }
  | {
      readonly kind: 'avgPool';
      readonly input: string;
      readonly output: string;
      readonly size: number;
      readonly stride: number;
      readonly ceilMode: boolean;
      readonly padding?: number;
    }
  | { readonly kind: 'flatten'; readonly input: string; readonly output: string }
  | {
      readonly kind: 'dense';
      readonly input: string;
      readonly output: string;
      readonly weight: string;
      readonly bias?: string;
    };

/** A weight's values and shape. */
export interface InferenceWeight {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

/** Activation codes of the plan (native/infer-plan.cc). */
export const planActivation = {
  linear: 0,
  relu: 1,
  relu6: 2,
  swish: 3,
  sigmoid: 4,
  h_swish: 5,
  h_sigmoid: 6,
} as const;

/** One op of a plan, over numbered buffers (-1 is the plan's input); see native/infer-plan.cc. */
export type PlanOp = { readonly kind: string; readonly src: number; readonly dst: number } & Record<
  string,
  unknown
>;

/** What `inferPlanCreate` builds: buffers to allocate, weights to copy, ops to run in order. */
export interface PlanSpec {
  /** Size in floats of each buffer. */
  readonly buffers: number[];
  readonly weights: Float32Array[];
  readonly ops: PlanOp[];
  /** The buffer holding the logits after the last op. */
  readonly output: number;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly outputShape: number[];
}
