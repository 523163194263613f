// The GPU servers' webgpu path, checked against cpu without a GPU: Dawn (the `webgpu` package)
// on SwiftShader runs the same forward, backward and SGD update of the tiny min and max subnets
// as the cpu backend. Shader pipeline compiles dominate: 137 pipelines, ~95% of the webgpu time
// (67 of 71 s on 2 loaded cores), so the batch is small and only two subnets run. tfjs-backend-
// webgpu 4.22 already keys its pipeline cache on ranks, not sizes (shapes are uniforms), and has
// no persistent shader cache; its WEBGPU_ENGINE_COMPILE_ONLY pre-pass (createComputePipelineAsync)
// compiled the same 137 pipelines no faster here, so it is not used. Skipped where Dawn finds no
// adapter, unless SUPERNAS_REQUIRE names webgpu: then the missing adapter fails the run.
import { createSupernet, registerGradients, type Supernet } from '@supernas/elastic';
import { crossEntropyWithLabelSmoothing } from '@supernas/losses';
import { type ArchConfig, createRng, maxArch, minArch, tinySpace } from '@supernas/search-space';
import { isDecayedParameter, Sgd } from '@supernas/trainer';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describeRequiring } from '@supernas/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DawnWebgpu, installDawnWebgpu } from './test-utils/dawn-webgpu.js';

const dawn: DawnWebgpu = await installDawnWebgpu();
const batch = 4;
const numClasses = 10;
const archs: [string, ArchConfig][] = [
  ['max', maxArch(tinySpace)],
  ['min', minArch(tinySpace)],
];

/** What one backend computed, as plain arrays. */
interface StepResult {
  readonly losses: number[];
  /** Per subnet, gradient by parameter name. */
  readonly gradients: Map<string, Float32Array>[];
  /** Every variable (trainable and BN statistics) after the update. */
  readonly weights: Map<string, Float32Array>;
  readonly leakedTensors: number;
}

function inputs(arch: ArchConfig, seed: number): { images: tf.Tensor4D; labels: tf.Tensor1D } {
  const rng = createRng(seed);
  const size = batch * arch.resolution * arch.resolution * 3;
  const pixels = Float32Array.from({ length: size }, () => rng.normal());
  return {
    images: tf.tensor4d(pixels, [batch, arch.resolution, arch.resolution, 3]),
    labels: tf.tensor1d(
      Array.from({ length: batch }, () => rng.int(numClasses)),
      'int32',
    ),
  };
}

/**
 * Forward and backward of each subnet (label-smoothed CE, BN in training mode), then one SGD
 * step (Nesterov momentum, weight decay) with the summed gradients, on `backend`. The supernet
 * is initialised on cpu (its weights move to `backend` on first use), so webgpu compiles no
 * pipelines for the random initialisation.
 */
async function trainStep(backend: string): Promise<StepResult> {
  const read = async (tensor: tf.Tensor): Promise<Float32Array> =>
    (await tensor.data()) as Float32Array;
  await tf.setBackend('cpu');
  const supernet: Supernet = createSupernet(tinySpace, { numClasses, seed: 1 });
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const parameters = new Map(
    supernet.trainableNames.map((name) => [name, supernet.variables.get(name)!]),
  );
  const nameOf = new Map([...parameters].map(([name, variable]) => [variable.name, name]));
  const losses: number[] = [];
  const gradients: Map<string, Float32Array>[] = [];
  const summed = new Map<string, tf.Tensor>();
  for (const [index, [, arch]] of archs.entries()) {
    const { images, labels } = inputs(arch, 10 + index);
    const { value, grads } = tf.variableGrads(
      () =>
        crossEntropyWithLabelSmoothing(supernet.apply(images, arch, { training: true }), labels, {
          smoothing: 0.1,
        }),
      [...parameters.values()],
    );
    losses.push((await read(value))[0]!);
    const byName = new Map<string, Float32Array>();
    for (const [variableName, gradient] of Object.entries(grads)) {
      const name = nameOf.get(variableName)!;
      byName.set(name, await read(gradient));
      const previous = summed.get(name);
      summed.set(name, previous ? tf.add(previous, gradient) : tf.clone(gradient));
      previous?.dispose();
    }
    gradients.push(byName);
    tf.dispose([value, images, labels, ...Object.values(grads)]);
  }
  const optimizer = new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
  optimizer.applyGradients(parameters, summed, 0.1, isDecayedParameter);
  tf.dispose([...summed.values()]);
  const weights = new Map<string, Float32Array>();
  for (const [name, variable] of supernet.variables) {
    weights.set(name, await read(variable));
  }
  const leakedTensors = tf.memory().numTensors - before - optimizer.getWeights().length;
  optimizer.dispose();
  supernet.dispose();
  return { losses, gradients, weights, leakedTensors };
}

/** The largest |a - b| over `a`'s scale: within `absolute + relative * max |b|`, or the excess. */
function closeness(actual: Float32Array, expected: Float32Array): { error: number; bound: number } {
  let error = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    error = Math.max(error, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return { error, bound: 1e-5 + 1e-4 * scale };
}

function expectAllClose(
  what: string,
  actual: Map<string, Float32Array>,
  expected: Map<string, Float32Array>,
): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  const outside: string[] = [];
  for (const [name, values] of expected) {
    expect(actual.get(name)?.length, `${what} ${name}`).toBe(values.length);
    const { error, bound } = closeness(actual.get(name)!, values);
    if (!(error <= bound))
      outside.push(`${name}: ${error.toExponential(2)} > ${bound.toExponential(2)}`);
  }
  expect(outside, `${what} outside tolerance`).toEqual([]);
}

describeRequiring('webgpu', dawn.ok ? undefined : dawn.reason, 'webgpu against cpu (Dawn)', () => {
  let cpu: StepResult;
  let webgpu: StepResult;
  let initial: Map<string, Float32Array>;

  beforeAll(async () => {
    await registerGradients();
    await tf.setBackend('cpu');
    const supernet = createSupernet(tinySpace, { numClasses, seed: 1 });
    initial = new Map();
    for (const [name, variable] of supernet.variables) {
      initial.set(name, variable.dataSync() as Float32Array);
    }
    supernet.dispose();
    cpu = await trainStep('cpu');

    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not start webgpu');
    const started = performance.now();
    const compile = timePipelineCompiles();
    webgpu = await trainStep('webgpu');
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `webgpu on ${dawn.ok ? dawn.adapter : '?'}: ${seconds.toFixed(1)} s, of which ${compile.count()} ` +
        `pipeline compiles ${compile.seconds().toFixed(1)} s (${((100 * compile.seconds()) / seconds).toFixed(0)}%)`,
    );
  }, 600_000);

  afterAll(() => {
    if (tf.findBackend('webgpu')) tf.removeBackend('webgpu');
    if (dawn.ok) dawn.restore();
  });

  it('gives the losses of cpu', () => {
    expect(webgpu.losses).toHaveLength(2);
    for (const [index, loss] of cpu.losses.entries()) {
      expect(Number.isFinite(loss)).toBe(true);
      expect(Math.abs(webgpu.losses[index]! - loss)).toBeLessThanOrEqual(
        1e-5 + 1e-5 * Math.abs(loss),
      );
    }
  });

  it('gives the gradients of cpu for the max and min subnets', () => {
    for (const [index, [role]] of archs.entries()) {
      expect(cpu.gradients[index]!.size).toBeGreaterThan(0);
      expectAllClose(`${role} gradient`, webgpu.gradients[index]!, cpu.gradients[index]!);
    }
  });

  it('gives the weights of cpu after one SGD update, and the update moved them', () => {
    expectAllClose('updated weights', webgpu.weights, cpu.weights);
    // Every parameter with a gradient moved: the comparison above is not of unchanged weights.
    const stuck = [...cpu.gradients[0]!]
      .filter(([, gradient]) => gradient.some((value) => Math.abs(value) > 1e-6))
      .filter(([name]) => closeness(cpu.weights.get(name)!, initial.get(name)!).error === 0)
      .map(([name]) => name);
    expect(cpu.gradients[0]!.size).toBeGreaterThan(50);
    expect(stuck).toEqual([]);
  });

  it('leaks no tensors on either backend', () => {
    expect(cpu.leakedTensors).toBe(0);
    expect(webgpu.leakedTensors).toBe(0);
  });
});

/** Counts and times the shader pipelines webgpu compiles from now on. */
function timePipelineCompiles(): { count: () => number; seconds: () => number } {
  const device = (tf.backend() as unknown as { device: GPUDeviceLike }).device;
  let count = 0;
  let milliseconds = 0;
  const original = device.createComputePipeline.bind(device);
  device.createComputePipeline = (descriptor: unknown) => {
    const started = performance.now();
    try {
      return original(descriptor);
    } finally {
      count++;
      milliseconds += performance.now() - started;
    }
  };
  return { count: () => count, seconds: () => milliseconds / 1000 };
}

interface GPUDeviceLike {
  createComputePipeline(descriptor: unknown): unknown;
}
