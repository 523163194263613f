import type { PlanSpec } from './infer/inference-graph.js';

/** The functions of the `supernas_native` addon (native/*.cc); every buffer is written in place. */
export interface NativeAddon {
  version(): { onednn: string; cpuRuntime: string; threads: number; isa: string };
  setNumThreads(threads: number): void;
  clearCaches(): void;
  cacheSize(): number;
  convForward(
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
    dims: readonly number[],
    activation: number,
    alpha: number,
  ): void;
  convBackwardData(
    dy: Float32Array,
    filter: Float32Array,
    dx: Float32Array,
    dims: readonly number[],
  ): void;
  convBackwardWeights(
    x: Float32Array,
    dy: Float32Array,
    dFilter: Float32Array,
    dims: readonly number[],
  ): void;
  convImplementation(
    kind: 'forward' | 'backwardData' | 'backwardWeights',
    dims: readonly number[],
  ): string;
  matmul(
    a: Float32Array,
    b: Float32Array,
    bias: Float32Array | null,
    out: Float32Array,
    dims: readonly number[],
    activation: number,
    alpha: number,
  ): void;
  unary(op: string, x: Float32Array, y: Float32Array, alpha: number): void;
  binary(
    op: string,
    a: Float32Array,
    aShape: readonly number[],
    b: Float32Array,
    bShape: readonly number[],
    out: Float32Array | Uint8Array,
    outShape: readonly number[],
  ): void;
  addN(inputs: Float32Array[], out: Float32Array): void;
  reduce(
    op: 'sum' | 'mean' | 'max' | 'min' | 'prod',
    x: Float32Array,
    shape: readonly number[],
    axes: readonly number[],
    out: Float32Array,
  ): void;
  stridedCopy(
    src: Float32Array,
    dst: Float32Array,
    sizes: readonly number[],
    srcStrides: readonly number[],
    srcOffset: number,
    dstStrides: readonly number[],
    dstOffset: number,
  ): void;
  batchNorm(
    x: Float32Array,
    channels: number,
    mean: Float32Array,
    variance: Float32Array,
    offset: Float32Array | null,
    scale: Float32Array | null,
    epsilon: number,
    out: Float32Array,
  ): void;
  swishGrad(dy: Float32Array, x: Float32Array, dx: Float32Array): void;
  /** BN with batch statistics, then `activation` (0 none, 1 swish); native/mbconv-train.cc. */
  batchNormActivationTraining(
    x: Float32Array,
    channels: number,
    gamma: Float32Array,
    beta: Float32Array,
    epsilon: number,
    activation: number,
    y: Float32Array,
    mean: Float32Array,
    inverseStd: Float32Array,
  ): void;
  /** Its gradient; `beta` may be null without an activation. */
  batchNormActivationTrainingGrad(
    dy: Float32Array,
    x: Float32Array,
    channels: number,
    mean: Float32Array,
    inverseStd: Float32Array,
    gamma: Float32Array,
    beta: Float32Array | null,
    activation: number,
    dx: Float32Array,
    dGamma: Float32Array,
    dBeta: Float32Array,
  ): void;
  /** One SGD step (native/sgd-step.cc); weightDecay 0 leaves the gradient as it is. */
  sgdStep(
    parameter: Float32Array,
    gradient: Float32Array,
    buffer: Float32Array,
    learningRate: number,
    momentum: number,
    weightDecay: number,
    nesterov: boolean,
    nextParameter: Float32Array,
    nextBuffer: Float32Array,
  ): void;
  /** A channel gate's gradient: dGate[n, c] = sum over h, w of dy * x (native/channel-gate.cc). */
  channelGateGrad(
    dy: Float32Array,
    x: Float32Array,
    batch: number,
    channels: number,
    dGate: Float32Array,
  ): void;
  /** dx = dy * gate[n, c] + dPooled[n, c] / area: a gate's and its pool's input gradients. */
  channelGateInputGrad(
    dy: Float32Array,
    gate: Float32Array,
    dPooled: Float32Array,
    batch: number,
    channels: number,
    area: number,
    dx: Float32Array,
  ): void;
  /** A depthwise convolution's weight gradient (multiplier 1, no dilation). */
  depthwiseBackwardWeights(
    x: Float32Array,
    dy: Float32Array,
    dFilter: Float32Array,
    dims: readonly number[],
  ): void;
  /** A compiled inference plan (native/infer-plan.cc) from `lowerInferenceGraph`'s spec. */
  inferPlanCreate(spec: PlanSpec): unknown;
  /** Runs a plan; false (running nothing) when the thread count changed since it was built. */
  inferPlanRun(
    plan: unknown,
    input: Float32Array,
    output: Float32Array,
    opSeconds?: Float64Array,
  ): boolean;
  inferPlanRelease(plan: unknown): void;
  inferPlanLiveCount(): number;
  pool(
    kind: 'avgForward' | 'avgBackward' | 'maxForward',
    input: Float32Array,
    output: Float32Array,
    dims: readonly number[],
  ): void;
}
