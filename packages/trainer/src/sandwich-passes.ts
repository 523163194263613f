import {
  adaptiveAlphaDivergence,
  crossEntropyWithLabelSmoothing,
  klDivergence,
} from '@supernas/losses';
import { type ArchConfig, archKey } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteLossError } from './errors.js';
import type { DistillationConfig, SandwichStepInput, SubnetLoss } from './sandwich-step.js';

/** Parameters that get weight decay: conv and linear weights, not BN affine or biases. */
export function isDecayedParameter(name: string): boolean {
  return !name.endsWith('.bias') && !/(^|\.)(bn|norm)\.weight$/.test(name);
}

/** Resizes an NHWC batch to `resolution` (bilinear, half-pixel centres as PyTorch's align_corners=False). */
export function resizeBatch(images: tf.Tensor4D, resolution: number): tf.Tensor4D {
  if (images.shape[1] === resolution && images.shape[2] === resolution) return tf.clone(images);
  return tf.image.resizeBilinear(images, [resolution, resolution], false, true);
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

/** The candidate a ranking keeps: the first lowest (BestUp) or first highest (WorstUp) score. */
export function chosenIndex(scores: readonly number[], prefer: 'lowest' | 'highest'): number {
  let chosen = 0;
  for (let i = 1; i < scores.length; i++) {
    const better =
      prefer === 'lowest' ? scores[i]! < scores[chosen]! : scores[i]! > scores[chosen]!;
    if (better) chosen = i;
  }
  return chosen;
}

/** One subnet's pass, before it is summed in: kept aside until the sampler confirms it. */
export interface Pass {
  readonly arch: ArchConfig;
  readonly value: tf.Scalar;
  /** By parameter name. */
  readonly gradients: Map<string, tf.Tensor>;
}

/**
 * Backends whose tensors live in CPU memory: reading one back costs nothing and `dataSync`
 * works, so the step sums, clips and applies gradients in JavaScript and a ranking can read its
 * scores inside a pass. Elsewhere (a GPU) all of it stays in tfjs ops.
 */
const cpuMemoryBackends = new Set(['cpu', 'native', 'wasm']);

/** Whether the active backend keeps tensors in CPU memory (see `SandwichPasses`). */
export function onCpuMemoryBackend(): boolean {
  return cpuMemoryBackends.has(tf.getBackend());
}

export type SandwichPassesInput = Omit<SandwichStepInput, 'archs' | 'betweenSubnets'>;

/**
 * The passes of one sandwich step over a batch, added one subnet at a time: the teacher first,
 * then the students (distilled from its detached logits), gradients summed as `tf.add` would,
 * then `finish` clips them and takes the SGD step. `sandwichStep` runs a whole list of archs
 * through it; on a CPU-memory backend the training loop also uses `rankAndTrain`, which runs
 * the attentive sampler's ranking forwards on the tape and back-propagates the chosen
 * candidate's own forward instead of running it again. The batch is resized once per
 * resolution. On a CPU-memory backend the sums, clipping and SGD run in JavaScript on float32
 * values (one loop per parameter instead of a kernel per parameter and subnet).
 */
export class SandwichPasses {
  private readonly parameters = new Map<string, tf.Variable>();
  private readonly nameOfVariable = new Map<string, string>();
  private readonly trainable: tf.Variable[];
  private readonly resized = new Map<number, tf.Tensor4D>();
  private readonly inMemory = onCpuMemoryBackend();
  private readonly sums = new Map<string, Float32Array>();
  private readonly tensorSums = new Map<string, tf.Tensor>();
  private readonly losses: SubnetLoss[] = [];
  private teacher: tf.Tensor2D | undefined;

  constructor(private readonly input: SandwichPassesInput) {
    const { supernet } = input;
    for (const name of supernet.trainableNames)
      this.parameters.set(name, supernet.variables.get(name)!);
    for (const [name, variable] of this.parameters) this.nameOfVariable.set(variable.name, name);
    this.trainable = [...this.parameters.values()];
  }

  /** The batch at `resolution`, resized once per step. */
  imagesAt(resolution: number): tf.Tensor4D {
    let images = this.resized.get(resolution);
    if (images === undefined) {
      // Kept: the first call may come inside a pass's tape, whose scope would dispose it.
      images = tf.keep(resizeBatch(this.input.images, resolution));
      this.resized.set(resolution, images);
    }
    return images;
  }

  /** Trains `arch` in `role`; the first call must be the teacher (`max`). */
  async train(arch: ArchConfig, role: SubnetLoss['role']): Promise<void> {
    const isTeacher = this.teacher === undefined;
    const index = this.losses.length;
    let logitsKept: tf.Tensor2D | undefined;
    const pass = this.runPass(arch, () => {
      const logits = this.forward(arch, isTeacher, index);
      if (!isTeacher) return this.studentLoss(logits);
      logitsKept = tf.keep(logits);
      return crossEntropyWithLabelSmoothing(logits, this.input.labels, {
        smoothing: this.input.config.labelSmoothing,
      });
    });
    // Outside the tape the kept logits are constants: the teacher receives no gradient.
    if (isTeacher) this.teacher = logitsKept;
    await this.commit(pass, role);
  }

  /**
   * The attentive ranking of `candidates` fused with the chosen one's training pass: every
   * candidate's forward runs on the tape (BN on batch statistics, no dropout, as a student
   * trains), its label cross-entropy is its score, and the candidate `prefer` picks is
   * back-propagated through its distillation loss. The pass is returned, not summed: `confirm`
   * adds it once the sampler has chosen the same arch, `discard` drops it. Needs the teacher's
   * pass first and a CPU-memory backend (the scores are read inside the pass).
   */
  rankAndTrain(
    candidates: readonly ArchConfig[],
    prefer: 'lowest' | 'highest',
  ): { scores: number[]; pass: Pass } {
    if (this.teacher === undefined || !this.inMemory)
      throw new Error(
        'SandwichPasses.rankAndTrain: needs the teacher trained first, on a CPU-memory backend',
      );
    const index = this.losses.length;
    let scores: number[] = [];
    let chosen = 0;
    const pass = this.runPass(
      candidates[0]!,
      () => {
        const logits = candidates.map((arch) => this.forward(arch, false, index));
        scores = logits.map(
          (candidate) =>
            crossEntropyWithLabelSmoothing(candidate, this.input.labels, {
              smoothing: 0,
            }).dataSync()[0]!,
        );
        chosen = chosenIndex(scores, prefer);
        return this.studentLoss(logits[chosen]!);
      },
      () => candidates[chosen]!,
    );
    return { scores, pass };
  }

  /** Adds a pass from `rankAndTrain` as the next student. */
  confirm(pass: Pass, role: SubnetLoss['role']): Promise<void> {
    return this.commit(pass, role);
  }

  /** Drops a pass from `rankAndTrain` that the sampler did not choose. */
  discard(pass: Pass): void {
    pass.value.dispose();
    tf.dispose([...pass.gradients.values()]);
  }

  /**
   * Clips the summed gradients by value and takes the SGD step (after averaging them over the
   * ranks in data-parallel training). Returns each subnet's loss (the ranks' mean).
   */
  async finish(): Promise<SubnetLoss[]> {
    const { input, losses, parameters, sums, tensorSums } = this;
    const parallel = input.dataParallel;
    if (parallel !== undefined) {
      const reduced = await parallel.reduceLosses(losses.map(({ loss }) => loss));
      for (const [index, loss] of reduced.entries()) {
        const { role, arch } = losses[index]!;
        if (!Number.isFinite(loss))
          throw new NonFiniteLossError(input.step, index, role, arch, loss);
        losses[index] = { role, arch, loss };
      }
      const summed: tf.NamedTensorMap = Object.fromEntries(tensorSums);
      for (const [name, values] of sums)
        summed[name] = tf.tensor(values, parameters.get(name)!.shape, 'float32');
      const averaged = await parallel.reduceGradients(summed);
      tf.dispose(Object.values(summed));
      tensorSums.clear();
      for (const [name, gradient] of Object.entries(averaged)) {
        if (this.inMemory) {
          sums.set(name, (gradient.dataSync() as Float32Array).slice());
          gradient.dispose();
        } else tensorSums.set(name, gradient);
      }
    }
    const startedAt = performance.now();
    const limit = input.config.gradClipValue;
    if (this.inMemory) {
      for (const values of sums.values()) clipInPlace(values, Math.fround(limit));
      input.optimizer.applyGradientValues(parameters, sums, input.learningRate, isDecayedParameter);
    } else {
      const clipped = new Map<string, tf.Tensor>();
      for (const [name, gradient] of tensorSums)
        clipped.set(name, tf.clipByValue(gradient, -limit, limit));
      input.optimizer.applyGradients(parameters, clipped, input.learningRate, isDecayedParameter);
      tf.dispose([...clipped.values()]);
    }
    input.phases?.add('optimizer', (performance.now() - startedAt) / 1000);
    return [...losses];
  }

  dispose(): void {
    this.teacher?.dispose();
    this.teacher = undefined;
    tf.dispose([...this.resized.values(), ...this.tensorSums.values()]);
    this.resized.clear();
    this.tensorSums.clear();
  }

  private forward(arch: ArchConfig, isTeacher: boolean, index: number): tf.Tensor2D {
    const { config } = this.input;
    return this.input.supernet.apply(this.imagesAt(arch.resolution), arch, {
      training: true,
      dropout: isTeacher ? config.dropout : 0,
      dropConnect: isTeacher ? config.dropConnect : 0,
      seed: this.input.seed * 16 + index,
    });
  }

  private studentLoss(logits: tf.Tensor2D): tf.Scalar {
    const { config, labels } = this.input;
    return distillationLoss(
      config.distillation,
      logits,
      this.teacher!,
      labels,
      config.labelSmoothing,
    );
  }

  /**
   * Runs `loss` on the tape and returns its value and gradients (by parameter name); its
   * forward time counts as `ranking` when `archOf` is given (a ranking), else as `training`.
   */
  private runPass(arch: ArchConfig, loss: () => tf.Scalar, archOf?: () => ArchConfig): Pass {
    const phases = this.input.phases;
    const startedAt = performance.now();
    let forwardSeconds = 0;
    const { value, grads } = tf.variableGrads(() => {
      const result = loss();
      forwardSeconds = (performance.now() - startedAt) / 1000;
      return result;
    }, this.trainable);
    const gradients = new Map<string, tf.Tensor>();
    for (const [variableName, gradient] of Object.entries(grads))
      gradients.set(this.nameOfVariable.get(variableName) ?? variableName, gradient);
    const seconds = (performance.now() - startedAt) / 1000;
    if (archOf === undefined) phases?.add('training', seconds);
    else {
      phases?.add('ranking', forwardSeconds);
      phases?.add('training', seconds - forwardSeconds);
    }
    return { arch: archOf?.() ?? arch, value, gradients };
  }

  /**
   * Sums a pass's gradients in. With several ranks, one rank must not stop alone (the others
   * would wait for it in the next collective): `finish` checks the reduced losses instead.
   */
  private async commit(pass: Pass, role: SubnetLoss['role']): Promise<void> {
    const startedAt = performance.now();
    const index = this.losses.length;
    const loss = (await pass.value.data())[0]!;
    pass.value.dispose();
    if (this.input.dataParallel === undefined && !Number.isFinite(loss)) {
      tf.dispose([...pass.gradients.values()]);
      throw new NonFiniteLossError(this.input.step, index, role, pass.arch, loss);
    }
    this.losses.push({ role, arch: pass.arch, loss });
    for (const [name, gradient] of pass.gradients) {
      if (this.inMemory) {
        const values = gradient.dataSync() as Float32Array;
        const sum = this.sums.get(name);
        if (sum === undefined) this.sums.set(name, values.slice());
        else for (let i = 0; i < sum.length; i++) sum[i]! += values[i]!;
        gradient.dispose();
      } else {
        const sum = this.tensorSums.get(name);
        this.tensorSums.set(name, sum === undefined ? gradient : tf.add(sum, gradient));
        if (sum !== undefined) tf.dispose([sum, gradient]);
      }
    }
    // Summing gradients belongs to the backward passes.
    this.input.phases?.add('training', (performance.now() - startedAt) / 1000);
  }
}

/** Whether two archs are the same subnet. */
export function sameArch(a: ArchConfig, b: ArchConfig): boolean {
  return archKey(a) === archKey(b);
}

/** `tf.clipByValue(values, -limit, limit)` in place (NaN stays NaN, as there). */
function clipInPlace(values: Float32Array, limit: number): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value > limit) values[i] = limit;
    else if (value < -limit) values[i] = -limit;
  }
}
