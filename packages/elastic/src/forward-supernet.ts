import { convPadding, deriveRng, type RngStream, shortcutHasConv } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { type AnyActivation, applyActivation } from './activation.js';
import {
  type BatchMoments,
  batchMoments,
  batchNormActivationTraining,
  batchNormTraining,
  batchNormWithStatistics,
} from './batch-norm.js';
import {
  averagePool,
  depthwiseConv,
  globalAveragePool,
  pointwiseConv,
  sliceWeight,
  spatialConv,
} from './elastic-ops.js';
import { ElasticOptionError, InputShapeError, MissingWeightError } from './errors.js';
import { type BatchNormNames, firstConvNames, headNames } from './parameter-names.js';
import { squeezeExcite } from './squeeze-excite.js';
import type { ActiveBlock, SubnetPlan } from './subnet-plan.js';
import type { SupernetLayout } from './supernet-layout.js';
import type { ApplyOptions } from './types.js';

/** Looks a shared weight up by its state_dict name. */
export type WeightLookup = (name: string) => tf.Tensor;

/** Observers of a forward pass (BN calibration records the batch statistics of every BN). */
export interface ForwardHooks {
  onBatchNorm?(names: BatchNormNames, moments: BatchMoments): void;
}

/** A lookup over a name -> tensor map that fails with the missing name. */
export function weightLookup(weights: ReadonlyMap<string, tf.Tensor>): WeightLookup {
  return (name) => {
    const weight = weights.get(name);
    if (weight === undefined) throw new MissingWeightError(name, 'is missing from the supernet');
    return weight;
  };
}

/** Checks that `x` is [N, resolution, resolution, inputChannels]. */
export function checkInput(
  x: tf.Tensor,
  resolution: number,
  inputChannels: number,
  where: string,
): void {
  const expected = [null, resolution, resolution, inputChannels];
  if (x.rank !== 4) {
    throw new InputShapeError(
      `${where}: input must be rank 4 [N, ${resolution}, ${resolution}, ${inputChannels}], got shape [${x.shape.join(', ')}]`,
      x.shape,
      expected,
    );
  }
  const [, height, width, channels] = x.shape as number[];
  if (height !== resolution || width !== resolution) {
    throw new InputShapeError(
      `${where}: input is ${height}x${width} but arch.resolution is ${resolution}; resize images to ${resolution}x${resolution} in the data pipeline`,
      x.shape,
      expected,
    );
  }
  if (channels !== inputChannels) {
    throw new InputShapeError(
      `${where}: input has ${channels} channels, expected ${inputChannels}`,
      x.shape,
      expected,
    );
  }
}

function checkRate(option: string, value: number | undefined): number {
  const rate = value ?? 0;
  if (!(rate >= 0 && rate < 1)) throw new ElasticOptionError(option, value, 'a rate in [0, 1)');
  return rate;
}

/** A deterministic seed per random stream (dropout, each block's drop-connect) of one pass. */
function streamSeed(seed: number, stream: RngStream): number {
  return deriveRng(seed, stream).int(2 ** 31);
}

interface PassContext {
  readonly weight: WeightLookup;
  readonly training: boolean;
  readonly hooks: ForwardHooks | undefined;
}

function batchNorm(
  context: PassContext,
  x: tf.Tensor4D,
  names: BatchNormNames,
  channels: number,
): tf.Tensor4D {
  const gamma = sliceWeight(context.weight(names.gamma), [channels]) as tf.Tensor1D;
  const beta = sliceWeight(context.weight(names.beta), [channels]) as tf.Tensor1D;
  if (!context.training) {
    const mean = sliceWeight(context.weight(names.mean), [channels]) as tf.Tensor1D;
    const variance = sliceWeight(context.weight(names.variance), [channels]) as tf.Tensor1D;
    return batchNormWithStatistics(x, gamma, beta, mean, variance);
  }
  if (context.hooks?.onBatchNorm !== undefined) {
    const moments = batchMoments(x);
    context.hooks.onBatchNorm(names, moments);
    return batchNormWithStatistics(x, gamma, beta, moments.mean, moments.variance);
  }
  return batchNormTraining(x, gamma, beta);
}

/** `activation(batchNorm(...))`: one fused op in a plain training pass (no hooks observing BN). */
function batchNormActivation(
  context: PassContext,
  x: tf.Tensor4D,
  names: BatchNormNames,
  channels: number,
  activation: AnyActivation,
): tf.Tensor4D {
  if (context.training && context.hooks?.onBatchNorm === undefined) {
    const gamma = sliceWeight(context.weight(names.gamma), [channels]) as tf.Tensor1D;
    const beta = sliceWeight(context.weight(names.beta), [channels]) as tf.Tensor1D;
    return batchNormActivationTraining(x, gamma, beta, activation);
  }
  return applyActivation(batchNorm(context, x, names, channels), activation);
}

function blockSqueezeExcite(context: PassContext, x: tf.Tensor4D, block: ActiveBlock): tf.Tensor4D {
  const { names } = block.supernetBlock;
  const { midChannels: mid, seChannels: squeeze } = block;
  const reduceWeight = tf.reshape(
    sliceWeight(context.weight(names.seReduceWeight), [1, 1, mid, squeeze]),
    [mid, squeeze],
  ) as tf.Tensor2D;
  const reduceBias = sliceWeight(context.weight(names.seReduceBias), [squeeze]) as tf.Tensor1D;
  const expandWeight = tf.reshape(
    sliceWeight(context.weight(names.seExpandWeight), [1, 1, squeeze, mid]),
    [squeeze, mid],
  ) as tf.Tensor2D;
  const expandBias = sliceWeight(context.weight(names.seExpandBias), [mid]) as tf.Tensor1D;
  return squeezeExcite(x, reduceWeight, reduceBias, expandWeight, expandBias, context.training);
}

function mobileInvertedBlock(
  context: PassContext,
  x: tf.Tensor4D,
  block: ActiveBlock,
): tf.Tensor4D {
  const { names, maxKernelSize } = block.supernetBlock;
  const { inChannels, midChannels: mid, outChannels, kernelSize, activation } = block;
  let hidden = x;
  if (block.hasExpandConv) {
    const weight = sliceWeight(context.weight(names.expandConv), [1, 1, inChannels, mid]);
    hidden = pointwiseConv(hidden, weight);
    hidden = batchNormActivation(context, hidden, names.expandBn, mid, activation);
  }
  // A smaller kernel is the centre crop of the largest (AttentiveNAS keeps OFA's kernel
  // transform matrices off), sliced together with the channels in one op.
  const start = (maxKernelSize - kernelSize) >> 1;
  const depthWeight = sliceWeight(
    context.weight(names.depthConv),
    [kernelSize, kernelSize, mid, 1],
    [start, start, 0, 0],
  ) as tf.Tensor4D;
  hidden = depthwiseConv(hidden, depthWeight, block.stride, convPadding(kernelSize));
  hidden = batchNormActivation(context, hidden, names.depthBn, mid, activation);
  if (block.seChannels > 0) hidden = blockSqueezeExcite(context, hidden, block);
  const projectWeight = sliceWeight(context.weight(names.projectConv), [1, 1, mid, outChannels]);
  return batchNorm(context, pointwiseConv(hidden, projectWeight), names.projectBn, outChannels);
}

function shortcut(context: PassContext, x: tf.Tensor4D, block: ActiveBlock): tf.Tensor4D {
  if (block.shortcut === 'identity') return x;
  let result = block.stride > 1 ? averagePool(x, block.stride, block.shortcutPoolPadding) : x;
  if (shortcutHasConv(block.shortcut)) {
    const weight = sliceWeight(context.weight(block.supernetBlock.names.shortcutConv), [
      1,
      1,
      block.inChannels,
      block.outChannels,
    ]);
    result = pointwiseConv(result, weight);
  }
  return result;
}

/** Stochastic depth as the reference's `drop_connect`: keep a sample with 1 - rate, scaled. */
function dropConnect(x: tf.Tensor4D, rate: number, seed: number): tf.Tensor4D {
  const keep = 1 - rate;
  const noise = tf.randomUniform([x.shape[0], 1, 1, 1], 0, 1, 'float32', seed);
  const mask = tf.div(tf.floor(tf.add(noise, keep)), keep);
  return tf.mul(x, mask);
}

/**
 * Runs the subnet `plan` through the shared weights. Shared by `Supernet.apply`, BN calibration
 * and tests; callers validate the arch, this checks the input tensor and the options.
 */
export function forwardSupernet(
  weight: WeightLookup,
  layout: SupernetLayout,
  plan: SubnetPlan,
  x: tf.Tensor4D,
  options: ApplyOptions,
  hooks?: ForwardHooks,
): tf.Tensor2D {
  checkInput(x, plan.arch.resolution, layout.inputChannels, 'Supernet.apply');
  const training = options.training;
  const dropoutRate = training ? checkRate('dropout', options.dropout) : 0;
  const dropConnectRate = training ? checkRate('dropConnect', options.dropConnect) : 0;
  const seed = options.seed;
  if ((dropoutRate > 0 || dropConnectRate > 0) && (seed === undefined || !Number.isFinite(seed))) {
    throw new ElasticOptionError(
      'seed',
      seed,
      'a finite number when dropout or dropConnect is > 0',
    );
  }
  const onlyLastTwoStages = options.dropConnectOnlyLastTwoStages ?? true;
  const lastTwoStagesFrom = layout.space.stages.length - 2;
  const context: PassContext = { weight, training, hooks };

  return tf.tidy((): tf.Tensor2D => {
    const first = firstConvNames;
    const { outChannels: firstWidth } = plan.stem;
    const { kernelSize, stride } = layout.firstConv;
    const firstWeight = sliceWeight(weight(first.conv), [
      kernelSize,
      kernelSize,
      layout.inputChannels,
      firstWidth,
    ]);
    let hidden = spatialConv(x, firstWeight as tf.Tensor4D, stride, convPadding(kernelSize));
    hidden = batchNormActivation(
      context,
      hidden,
      first.bn,
      firstWidth,
      layout.firstConv.activation,
    );

    for (const block of plan.blocks) {
      const residual = shortcut(context, hidden, block);
      let main = mobileInvertedBlock(context, hidden, block);
      // As the reference: blocks are numbered over the largest subnet, the rate grows with depth,
      // and only identity shortcuts (optionally only in the last two stages) drop.
      const { index } = block.supernetBlock;
      const eligible =
        block.shortcut === 'identity' && (!onlyLastTwoStages || block.stage >= lastTwoStagesFrom);
      const rate = (dropConnectRate * index) / layout.blocks.length;
      if (eligible && rate > 0)
        main = dropConnect(main, rate, streamSeed(seed as number, `drop-connect-${index}`));
      hidden = tf.add(main, residual);
    }

    const head = plan.head;
    const expandWeight = sliceWeight(weight(headNames.finalExpandConv), [
      1,
      1,
      head.inChannels,
      head.expandChannels,
    ]);
    hidden = pointwiseConv(hidden, expandWeight);
    hidden = batchNormActivation(
      context,
      hidden,
      headNames.finalExpandBn,
      head.expandChannels,
      layout.head.activation,
    );
    const [batch] = hidden.shape;
    let features: tf.Tensor2D = tf.reshape(globalAveragePool(hidden), [batch, head.expandChannels]);
    const mixWeight = sliceWeight(weight(headNames.featureMixConv), [
      1,
      1,
      head.expandChannels,
      head.featureChannels,
    ]);
    features = tf.matMul(
      features,
      tf.reshape(mixWeight, [head.expandChannels, head.featureChannels]),
    );
    features = applyActivation(features, layout.head.activation);
    if (dropoutRate > 0)
      features = tf.dropout(
        features,
        dropoutRate,
        undefined,
        streamSeed(seed as number, 'dropout'),
      ) as tf.Tensor2D;
    const classifierWeight = sliceWeight(weight(headNames.classifierWeight), [
      head.featureChannels,
      layout.numClasses,
    ]);
    const classifierBias = weight(headNames.classifierBias);
    return tf.fused.matMul({
      a: features,
      b: classifierWeight as tf.Tensor2D,
      bias: classifierBias,
    }) as tf.Tensor2D;
  });
}
