/** Activation functions a block or conv can use. `h_swish` is x * relu6(x + 3) / 6. */
export type Activation = 'swish' | 'relu' | 'relu6' | 'h_swish';

/** The stem: a k x k conv + BN + activation with an elastic output width. */
export interface FirstConvSpace {
  readonly widths: readonly number[];
  readonly kernelSize: number;
  readonly stride: number;
  readonly activation: Activation;
}

/** One MBConv stage: every choice the stage allows. The first block of a stage carries its stride. */
export interface StageSpace {
  readonly name: string;
  readonly widths: readonly number[];
  readonly depths: readonly number[];
  readonly kernelSizes: readonly number[];
  readonly expandRatios: readonly number[];
  readonly stride: number;
  readonly se: boolean;
  readonly activation: Activation;
}

/**
 * The MobileNetV3-style head ("v3 head") of AttentiveNAS: 1x1 expand to `expandRatio` times the
 * last stage's active width (BN + act), global average pool, 1x1 conv to the last-conv width
 * (no bias, no BN) + act, dropout, linear classifier.
 */
export interface LastConvSpace {
  readonly widths: readonly number[];
  readonly expandRatio: number;
  readonly activation: Activation;
}

/** A search space is data: it lists the choices, nothing else. */
export interface SearchSpace {
  readonly name: string;
  readonly resolutions: readonly number[];
  readonly firstConv: FirstConvSpace;
  readonly stages: readonly StageSpace[];
  readonly lastConv: LastConvSpace;
}

/**
 * One subnet. `width` has one entry for the first conv, one per stage, and one for the last
 * conv (`stages.length + 2`); `depth`, `kernelSize` and `expandRatio` have one per stage.
 */
export interface ArchConfig {
  readonly resolution: number;
  readonly width: readonly number[];
  readonly depth: readonly number[];
  readonly kernelSize: readonly number[];
  readonly expandRatio: readonly number[];
}
