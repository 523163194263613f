import type { Supernet } from '@supernas/elastic';
import {
  adaptiveAlphaDivergence,
  crossEntropyWithLabelSmoothing,
  klDivergence,
} from '@supernas/losses';
import type { ArchConfig } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteLossError } from './errors.js';
import type { PhaseTimes } from './phase-times.js';
import type { Sgd } from './sgd.js';

export type DistillationConfig =
  | {
      readonly kind: 'alpha';
      readonly alphaMin: number;
      readonly alphaMax: number;
      readonly clip: number;
    }
  | { readonly kind: 'kl'; readonly temperature: number }
  /** Students train on the labels (label-smoothed CE) like the teacher: no distillation. */
  | { readonly kind: 'none' };

export interface SandwichStepConfig {
  readonly labelSmoothing: number;
  /** Dropout and drop-connect apply to the largest subnet only, as in the reference. */
  readonly dropout: number;
  readonly dropConnect: number;
  readonly gradClipValue: number;
  readonly distillation: DistillationConfig;
}

export interface SubnetLoss {
  readonly role: 'max' | 'middle' | 'min';
  readonly arch: ArchConfig;
  readonly loss: number;
}

/** Parameters that get weight decay: conv and linear weights, not BN affine or biases. */
export function isDecayedParameter(name: string): boolean {
  return !name.endsWith('.bias') && !/(^|\.)(bn|norm)\.weight$/.test(name);
}

/** Resizes an NHWC batch to `resolution` (bilinear, half-pixel centres as PyTorch's align_corners=False). */
export function resizeBatch(images: tf.Tensor4D, resolution: number): tf.Tensor4D {
  if (images.shape[1] === resolution && images.shape[2] === resolution) return tf.clone(images);
  return tf.image.resizeBilinear(images, [resolution, resolution], false, true);
}

function roleOf(index: number, count: number): SubnetLoss['role'] {
  if (index === 0) return 'max';
  return index === count - 1 && count > 1 ? 'min' : 'middle';
}

function distillationLoss(
  config: DistillationConfig,
  student: tf.Tensor2D,
  teacher: tf.Tensor2D,
  labels: tf.Tensor1D,
  smoothing: number,
): tf.Scalar {
  switch (config.kind) {
    case 'alpha':
      return adaptiveAlphaDivergence(student, teacher, config);
    case 'kl':
      return klDivergence(student, teacher, { temperature: config.temperature });
    case 'none':
      return crossEntropyWithLabelSmoothing(student, labels, { smoothing });
  }
}

/**
 * How the step combines the work of several processes that each hold a shard of the global
 * batch (data-parallel training): `@supernas/distributed/tfjs`'s `dataParallel(collective)` is
 * one. Every rank runs the same subnets; with this, every rank also takes the same SGD step.
 */
export interface DataParallel {
  readonly rank: number;
  readonly size: number;
  /** The mean over ranks of each gradient, as new tensors (the step disposes them). */
  reduceGradients(gradients: tf.NamedTensorMap): Promise<tf.NamedTensorMap>;
  /** The mean over ranks of each value: one loss per subnet. */
  reduceLosses(values: readonly number[]): Promise<number[]>;
  /** The sum over ranks of each value: the attentive sampler's candidate losses. */
  reduceCandidateLosses(values: readonly number[]): Promise<number[]>;
  /**
   * True on every rank when any rank passes true: ranks stop at the same step (one stopping
   * alone would leave the others waiting in its next collective).
   */
  anyRank(flag: boolean): Promise<boolean>;
}

export interface SandwichStepInput {
  readonly supernet: Supernet;
  readonly optimizer: Sgd;
  /** `[max, ...middle, min]`: the first arch is the teacher. */
  readonly archs: readonly ArchConfig[];
  /** A batch at the data pipeline's resolution; resized per arch. */
  readonly images: tf.Tensor4D;
  readonly labels: tf.Tensor1D;
  readonly learningRate: number;
  /** This step's number as records and the progress display count it (from 1), for errors. */
  readonly step: number;
  /** Seeds this step's dropout / drop-connect masks, so a resumed run replays them. */
  readonly seed: number;
  readonly config: SandwichStepConfig;
  /**
   * Data-parallel training: `images` / `labels` are this rank's shard of the global batch. The
   * summed gradients of all subnets are averaged over the ranks before clipping and the SGD
   * step, so every rank's weights stay bit-identical; the returned losses are the ranks' mean.
   * A non-finite loss on any rank throws on every rank, after the losses are reduced.
   */
  readonly dataParallel?: DataParallel;
  /**
   * Awaited between subnets: the training loop lets the event loop run there, so a signal
   * handler (a second Ctrl-C) runs within one subnet's pass rather than after the whole step.
   */
  readonly betweenSubnets?: () => Promise<void>;
  /** Adds the step's wall time to `training` (the subnets' passes) and `optimizer` (clip, SGD). */
  readonly phases?: PhaseTimes;
}

/**
 * One sandwich step as in AttentiveNAS / AlphaNet: the largest subnet trains on label-smoothed
 * CE with dropout and drop-connect; its logits, detached, supervise the other subnets through
 * the distillation loss. Gradients accumulate over the subnets, are clipped by value, and one
 * SGD step follows. A non-finite loss throws before any weight changes.
 */
export async function sandwichStep(input: SandwichStepInput): Promise<SubnetLoss[]> {
  const { supernet, optimizer, archs, images, labels, config } = input;
  if (archs.length === 0) throw new RangeError('sandwichStep: no archs to train');
  const parameters = new Map<string, tf.Variable>();
  for (const name of supernet.trainableNames) parameters.set(name, supernet.variables.get(name)!);
  const nameOfVariable = new Map<string, string>();
  for (const [name, variable] of parameters) nameOfVariable.set(variable.name, name);
  const trainable = [...parameters.values()];

  const parallel = input.dataParallel;
  const accumulated = new Map<string, Float32Array>();
  const losses: SubnetLoss[] = [];
  let teacher: tf.Tensor2D | undefined;
  let startedAt = performance.now();
  try {
    for (let index = 0; index < archs.length; index++) {
      if (index > 0) await input.betweenSubnets?.();
      const arch = archs[index]!;
      const role = roleOf(index, archs.length);
      const isTeacher = index === 0;
      const x = resizeBatch(images, arch.resolution);
      let logitsKept: tf.Tensor2D | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const logits = supernet.apply(x, arch, {
          training: true,
          dropout: isTeacher ? config.dropout : 0,
          dropConnect: isTeacher ? config.dropConnect : 0,
          seed: input.seed * 16 + index,
        });
        if (isTeacher) {
          logitsKept = tf.keep(logits);
          return crossEntropyWithLabelSmoothing(logits, labels, {
            smoothing: config.labelSmoothing,
          });
        }
        return distillationLoss(
          config.distillation,
          logits,
          teacher!,
          labels,
          config.labelSmoothing,
        );
      }, trainable);
      x.dispose();
      // Outside the tape the kept logits are constants: the teacher receives no gradient.
      if (isTeacher) teacher = logitsKept;
      const loss = (await value.data())[0]!;
      value.dispose();
      // With several ranks, one rank must not stop alone (the others would wait for it in the
      // next collective): the check runs on the reduced losses below, the same on every rank.
      if (parallel === undefined && !Number.isFinite(loss)) {
        tf.dispose(Object.values(grads));
        throw new NonFiniteLossError(input.step, index, role, arch, loss);
      }
      losses.push({ role, arch, loss });
      // Summed in JS, float32 after every addition as tf.add would: one loop per parameter
      // instead of one kernel per parameter and subnet.
      for (const [variableName, gradient] of Object.entries(grads)) {
        const name = nameOfVariable.get(variableName) ?? variableName;
        const values = gradient.dataSync() as Float32Array;
        const previous = accumulated.get(name);
        if (previous === undefined) accumulated.set(name, values.slice());
        else for (let i = 0; i < previous.length; i++) previous[i]! += values[i]!;
        gradient.dispose();
      }
    }
    if (parallel !== undefined) {
      const reduced = await parallel.reduceLosses(losses.map(({ loss }) => loss));
      for (const [index, loss] of reduced.entries()) {
        const { role, arch } = losses[index]!;
        if (!Number.isFinite(loss))
          throw new NonFiniteLossError(input.step, index, role, arch, loss);
        losses[index] = { role, arch, loss };
      }
      const summed: tf.NamedTensorMap = {};
      for (const [name, values] of accumulated)
        summed[name] = tf.tensor(values, parameters.get(name)!.shape, 'float32');
      const averaged = await parallel.reduceGradients(summed);
      tf.dispose(Object.values(summed));
      for (const [name, gradient] of Object.entries(averaged)) {
        accumulated.set(name, (gradient.dataSync() as Float32Array).slice());
        gradient.dispose();
      }
    }
    input.phases?.add('training', (performance.now() - startedAt) / 1000);
    startedAt = performance.now();
    const limit = Math.fround(config.gradClipValue);
    for (const values of accumulated.values()) clipInPlace(values, limit);
    optimizer.applyGradientValues(parameters, accumulated, input.learningRate, isDecayedParameter);
    input.phases?.add('optimizer', (performance.now() - startedAt) / 1000);
    return losses;
  } finally {
    teacher?.dispose();
  }
}

/** `tf.clipByValue(values, -limit, limit)` in place (NaN stays NaN, as there). */
function clipInPlace(values: Float32Array, limit: number): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value > limit) values[i] = limit;
    else if (value < -limit) values[i] = -limit;
  }
}
