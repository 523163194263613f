import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sgd } from './sgd.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Sgd', () => {
  it('matches PyTorch SGD with Nesterov momentum and weight decay over three steps', () => {
    const before = tf.memory().numTensors;
    const weight = tf.tidy(() => tf.variable(tf.tensor1d([1, -2]), true, 'sgd-test-w'));
    const bias = tf.tidy(() => tf.variable(tf.tensor1d([0.5]), true, 'sgd-test-b'));
    const parameters = new Map([
      ['w', weight],
      ['b', bias],
    ]);
    const sgd = new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 0.1 });
    // Reference values computed by hand with PyTorch's update rule, weight decay on `w` only.
    let w = [1, -2];
    let b = [0.5];
    let bufW = [0, 0];
    let bufB = [0];
    const gradW = [0.3, -0.1];
    const gradB = [0.2];
    for (let step = 0; step < 3; step++) {
      const gradients = new Map([
        ['w', tf.tensor1d(gradW)],
        ['b', tf.tensor1d(gradB)],
      ]);
      sgd.applyGradients(parameters, gradients, 0.5, (name) => name === 'w');
      tf.dispose([...gradients.values()]);
      const dW = gradW.map((g, i) => g + 0.1 * w[i]!);
      bufW = bufW.map((v, i) => 0.9 * v + dW[i]!);
      w = w.map((v, i) => v - 0.5 * (dW[i]! + 0.9 * bufW[i]!));
      bufB = bufB.map((v, i) => 0.9 * v + gradB[i]!);
      b = b.map((v, i) => v - 0.5 * (gradB[i]! + 0.9 * bufB[i]!));
    }
    const actualW = Array.from(weight.dataSync());
    for (const [i, value] of actualW.entries()) expect(value).toBeCloseTo(w[i]!, 5);
    expect(bias.dataSync()[0]).toBeCloseTo(b[0]!, 5);
    sgd.dispose();
    tf.dispose([weight, bias]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the same float32 numbers as the update written in tfjs ops', () => {
    const before = tf.memory().numTensors;
    const random = (count: number, seed: number) =>
      Float32Array.from({ length: count }, (_, i) => Math.sin(seed * 1000 + i * 12.9898) * 3);
    const start = random(50, 1);
    const weight = tf.tidy(() => tf.variable(tf.tensor2d(start, [5, 10]), true, 'sgd-test-exact'));
    const parameters = new Map([['w', weight]]);
    const sgd = new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-5 });
    let expected = tf.tensor2d(start, [5, 10]);
    let buffer = tf.zeros([5, 10]);
    for (let step = 0; step < 3; step++) {
      const gradient = random(50, step + 2);
      sgd.applyGradientValues(parameters, new Map([['w', gradient]]), 0.1 / (step + 1), () => true);
      const [nextExpected, nextBuffer] = tf.tidy(() => {
        const direction = tf.add(tf.tensor2d(gradient, [5, 10]), tf.mul(expected, 1e-5));
        const moved = tf.add(tf.mul(buffer, 0.9), direction);
        const update = tf.add(direction, tf.mul(moved, 0.9));
        return [tf.sub(expected, tf.mul(update, 0.1 / (step + 1))), moved];
      });
      tf.dispose([expected, buffer]);
      expected = nextExpected!;
      buffer = nextBuffer!;
    }
    expect(Array.from(weight.dataSync())).toEqual(Array.from(expected.dataSync()));
    expect(Array.from(sgd.getWeights()[0]!.tensor.dataSync())).toEqual(
      Array.from(buffer.dataSync()),
    );
    sgd.dispose();
    tf.dispose([weight, expected, buffer]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a gradient of another size than its parameter', () => {
    const weight = tf.tidy(() => tf.variable(tf.tensor1d([1, 2]), true, 'sgd-test-size'));
    const sgd = new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 0 });
    expect(() =>
      sgd.applyGradientValues(
        new Map([['w', weight]]),
        new Map([['w', new Float32Array(3)]]),
        0.1,
        () => true,
      ),
    ).toThrow("Sgd: gradient for 'w' has 3 values, expected 2");
    sgd.dispose();
    weight.dispose();
  });

  it('restores its momentum buffers from getWeights', () => {
    const before = tf.memory().numTensors;
    const weight = tf.tidy(() => tf.variable(tf.tensor1d([1, 2]), true, 'sgd-test-restore'));
    const parameters = new Map([['w', weight]]);
    const sgd = new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 0 });
    const gradient = tf.tensor1d([1, 1]);
    sgd.applyGradients(parameters, new Map([['w', gradient]]), 0.1, () => true);
    const saved = sgd.getWeights().map(({ name, tensor }) => ({ name, tensor: tf.clone(tensor) }));
    expect(saved.map((entry) => entry.name)).toEqual(['w/momentum']);
    const restored = new Sgd({ momentum: 0.9, nesterov: true, weightDecay: 0 });
    restored.setWeights(saved);
    expect(Array.from(restored.getWeights()[0]!.tensor.dataSync())).toEqual([1, 1]);
    tf.dispose([...saved.map((entry) => entry.tensor), gradient, weight]);
    sgd.dispose();
    restored.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
