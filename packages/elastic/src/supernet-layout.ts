import {
  type Activation,
  headExpandChannels,
  midChannels,
  roundHalfToEven,
  type SearchSpace,
  seChannels,
  stageHasExpandConv,
} from '@supernas/search-space';
import {
  type BatchNormNames,
  type BlockNames,
  blockNames,
  firstConvNames,
  headNames,
} from './parameter-names.js';

/** How a weight is initialised (see `initialValues`). */
export type ParameterInit =
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'uniform'; readonly bound: number }
  | { readonly kind: 'constant'; readonly value: number };

/** One shared weight: its state_dict name, tfjs shape and initialisation. */
export interface ParameterSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
  readonly init: ParameterInit;
}

/**
 * One MBConv block of the largest subnet, with its largest widths: the shapes of its shared
 * weights. A subnet's block shapes are `describeSubnet`'s `BlockLayout`s.
 */
export interface SupernetBlockLayout {
  /** Position among all blocks of the largest subnet: the `<index>` of `blocks.<index>`. */
  readonly index: number;
  readonly stage: number;
  readonly positionInStage: number;
  readonly names: BlockNames;
  /** Widths the block's input may have: the previous stage's (or first conv's) or its own. */
  readonly inWidths: readonly number[];
  readonly outWidths: readonly number[];
  readonly expandRatios: readonly number[];
  readonly kernelSizes: readonly number[];
  readonly stride: number;
  readonly se: boolean;
  readonly activation: Activation;
  /** Whether the block has its 1x1 expand conv (`stageHasExpandConv`). */
  readonly hasExpandConv: boolean;
  readonly maxIn: number;
  readonly maxOut: number;
  readonly maxMid: number;
  readonly maxKernelSize: number;
  readonly maxSeMid: number;
}

export interface SupernetLayout {
  readonly space: SearchSpace;
  readonly numClasses: number;
  readonly inputChannels: number;
  readonly firstConv: {
    readonly maxOut: number;
    readonly kernelSize: number;
    readonly stride: number;
    readonly activation: Activation;
  };
  readonly blocks: readonly SupernetBlockLayout[];
  /** Block indices of each stage, in order (the reference's `block_group_info`). */
  readonly stageBlocks: readonly (readonly number[])[];
  readonly head: {
    readonly maxIn: number;
    readonly maxExpand: number;
    readonly maxOut: number;
    readonly expandRatio: number;
    readonly activation: Activation;
  };
  readonly parameters: readonly ParameterSpec[];
}

function heFanOut(kernelSize: number, outChannels: number): ParameterInit {
  // Kaiming normal, fan_out mode (OFA's `he_fout`). For a depthwise conv PyTorch's fan_out is
  // channels * k * k, as for a regular conv with `out_channels` outputs.
  return { kind: 'normal', std: Math.sqrt(2 / (kernelSize * kernelSize * outChannels)) };
}

const zeros: ParameterInit = { kind: 'constant', value: 0 };
const ones: ParameterInit = { kind: 'constant', value: 1 };

function batchNormSpecs(
  names: BatchNormNames,
  channels: number,
  zeroGamma = false,
): ParameterSpec[] {
  return [
    { name: names.gamma, shape: [channels], trainable: true, init: zeroGamma ? zeros : ones },
    { name: names.beta, shape: [channels], trainable: true, init: zeros },
    { name: names.mean, shape: [channels], trainable: false, init: zeros },
    { name: names.variance, shape: [channels], trainable: false, init: ones },
  ];
}

function maxOf(values: readonly number[]): number {
  return values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
}

function buildBlocks(space: SearchSpace): {
  blocks: SupernetBlockLayout[];
  stageBlocks: number[][];
} {
  const blocks: SupernetBlockLayout[] = [];
  const stageBlocks: number[][] = [];
  let inWidths: readonly number[] = space.firstConv.widths;
  space.stages.forEach((stage, stageIndex) => {
    const indices: number[] = [];
    const maxDepth = maxOf(stage.depths);
    const hasExpandConv = stageHasExpandConv(stage);
    for (let position = 0; position < maxDepth; position++) {
      const index = blocks.length;
      const maxIn = maxOf(inWidths);
      // The reference sizes the shared middle weights as round(maxIn * maxExpandRatio); taking the
      // largest width a subnet can ask for as well only matters for spaces whose widths are not
      // multiples of 8, where the reference itself would fail.
      const activeMids = inWidths.flatMap((width) =>
        stage.expandRatios.map((ratio) => midChannels(width, ratio, hasExpandConv)),
      );
      const maxMid = Math.max(roundHalfToEven(maxIn * maxOf(stage.expandRatios)), ...activeMids);
      blocks.push({
        index,
        stage: stageIndex,
        positionInStage: position,
        names: blockNames(index),
        inWidths,
        outWidths: stage.widths,
        expandRatios: stage.expandRatios,
        kernelSizes: stage.kernelSizes,
        stride: position === 0 ? stage.stride : 1,
        se: stage.se,
        activation: stage.activation,
        hasExpandConv,
        maxIn,
        maxOut: maxOf(stage.widths),
        maxMid,
        maxKernelSize: maxOf(stage.kernelSizes),
        maxSeMid: Math.max(seChannels(maxMid), ...activeMids.map(seChannels)),
      });
      indices.push(index);
      inWidths = stage.widths;
    }
    stageBlocks.push(indices);
  });
  return { blocks, stageBlocks };
}

function blockSpecs(block: SupernetBlockLayout): ParameterSpec[] {
  const { names, maxIn, maxMid, maxOut, maxKernelSize: k, maxSeMid } = block;
  const specs: ParameterSpec[] = [];
  if (block.hasExpandConv) {
    specs.push({
      name: names.expandConv,
      shape: [1, 1, maxIn, maxMid],
      trainable: true,
      init: heFanOut(1, maxMid),
    });
    specs.push(...batchNormSpecs(names.expandBn, maxMid));
  }
  specs.push({
    name: names.depthConv,
    shape: [k, k, maxMid, 1],
    trainable: true,
    init: heFanOut(k, maxMid),
  });
  specs.push(...batchNormSpecs(names.depthBn, maxMid));
  if (block.se) {
    specs.push(
      {
        name: names.seReduceWeight,
        shape: [1, 1, maxMid, maxSeMid],
        trainable: true,
        init: heFanOut(1, maxSeMid),
      },
      { name: names.seReduceBias, shape: [maxSeMid], trainable: true, init: zeros },
      {
        name: names.seExpandWeight,
        shape: [1, 1, maxSeMid, maxMid],
        trainable: true,
        init: heFanOut(1, maxMid),
      },
      { name: names.seExpandBias, shape: [maxMid], trainable: true, init: zeros },
    );
  }
  specs.push({
    name: names.projectConv,
    shape: [1, 1, maxMid, maxOut],
    trainable: true,
    init: heFanOut(1, maxOut),
  });
  // Every reference block has a shortcut module, so `zero_residual_block_bn_weights` zeroes the
  // last BN gamma of every block: each block starts as its shortcut.
  specs.push(...batchNormSpecs(names.projectBn, maxOut, true));
  // The reference creates the shortcut conv in every block, used or not; keeping it keeps the
  // state_dict one to one.
  specs.push({
    name: names.shortcutConv,
    shape: [1, 1, maxIn, maxOut],
    trainable: true,
    init: heFanOut(1, maxOut),
  });
  return specs;
}

/**
 * The structure of the supernet of `space`: every block of the largest subnet with its largest
 * widths, and every shared weight with its name, tfjs shape and initialisation. Pure data: the
 * tfjs code, the extractor and the importers all read it.
 */
export function supernetLayout(
  space: SearchSpace,
  numClasses: number,
  inputChannels: number,
): SupernetLayout {
  const { blocks, stageBlocks } = buildBlocks(space);
  const first = space.firstConv;
  const firstMaxOut = maxOf(first.widths);
  const lastStage = space.stages[space.stages.length - 1];
  const headIn = lastStage === undefined ? firstMaxOut : maxOf(lastStage.widths);
  const headInWidths = lastStage === undefined ? first.widths : lastStage.widths;
  const head = {
    maxIn: headIn,
    maxExpand: maxOf(
      headInWidths.map((width) => headExpandChannels(width, space.lastConv.expandRatio)),
    ),
    maxOut: maxOf(space.lastConv.widths),
    expandRatio: space.lastConv.expandRatio,
    activation: space.lastConv.activation,
  };
  const parameters: ParameterSpec[] = [
    {
      name: firstConvNames.conv,
      shape: [first.kernelSize, first.kernelSize, inputChannels, firstMaxOut],
      trainable: true,
      init: heFanOut(first.kernelSize, firstMaxOut),
    },
    ...batchNormSpecs(firstConvNames.bn, firstMaxOut),
    ...blocks.flatMap(blockSpecs),
    {
      name: headNames.finalExpandConv,
      shape: [1, 1, head.maxIn, head.maxExpand],
      trainable: true,
      init: heFanOut(1, head.maxExpand),
    },
    ...batchNormSpecs(headNames.finalExpandBn, head.maxExpand),
    {
      name: headNames.featureMixConv,
      shape: [1, 1, head.maxExpand, head.maxOut],
      trainable: true,
      init: heFanOut(1, head.maxOut),
    },
    // OFA's `init_model`: a linear layer is uniform in +-1/sqrt(fan_in) with a zero bias.
    {
      name: headNames.classifierWeight,
      shape: [head.maxOut, numClasses],
      trainable: true,
      init: { kind: 'uniform', bound: 1 / Math.sqrt(head.maxOut) },
    },
    { name: headNames.classifierBias, shape: [numClasses], trainable: true, init: zeros },
  ];
  return {
    space,
    numClasses,
    inputChannels,
    firstConv: {
      maxOut: firstMaxOut,
      kernelSize: first.kernelSize,
      stride: first.stride,
      activation: first.activation,
    },
    blocks,
    stageBlocks,
    head,
    parameters,
  };
}
