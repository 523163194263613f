import { closeMismatch, seededValues } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../src/test-utils/backend-gradients.js';
import { kernelPaths, setUpBackends } from '../src/test-utils/set-up-backends.js';

const batch = 4;
const resolution = 10;
const numClasses = 5;
const steps = 3;
const learningRate = 0.1;

/** Parameter shapes of a stem conv and two MBConv blocks (the second residual), then a classifier. */
const parameterShapes: Record<string, number[]> = {
  stem: [3, 3, 3, 8],
  expandA: [1, 1, 8, 24],
  depthwiseA: [3, 3, 24, 1],
  projectA: [1, 1, 24, 8],
  expandB: [1, 1, 8, 24],
  depthwiseB: [3, 3, 24, 1],
  projectB: [1, 1, 24, 8],
  classifier: [8, numClasses],
};
const batchNorms = [
  'stem',
  'expandA',
  'depthwiseA',
  'projectA',
  'expandB',
  'depthwiseB',
  'projectB',
];

interface StepRecord {
  loss: number;
  gradients: Record<string, Float32Array>;
}

type Variables = Record<string, tf.Variable>;

function batchNorm(x: tf.Tensor4D, variables: Variables, name: string): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.batchNorm4d(
    x,
    mean as tf.Tensor1D,
    variance as tf.Tensor1D,
    variables[`${name}.beta`] as tf.Tensor1D,
    variables[`${name}.gamma`] as tf.Tensor1D,
    1e-3,
  );
}

function convBn(x: tf.Tensor4D, variables: Variables, name: string, stride = 1): tf.Tensor4D {
  return batchNorm(tf.conv2d(x, variables[name] as tf.Tensor4D, stride, 'same'), variables, name);
}

function mbConv(
  x: tf.Tensor4D,
  variables: Variables,
  block: 'A' | 'B',
  stride: number,
): tf.Tensor4D {
  let y = tf.relu6(convBn(x, variables, `expand${block}`));
  const depthwise = `depthwise${block}`;
  y = tf.depthwiseConv2d(y, variables[depthwise] as tf.Tensor4D, stride, 'same');
  y = tf.relu6(batchNorm(y, variables, depthwise));
  y = convBn(y, variables, `project${block}`);
  return stride === 1 ? (tf.add(x, y) as tf.Tensor4D) : y;
}

function logits(images: tf.Tensor4D, variables: Variables): tf.Tensor2D {
  let x = tf.relu6(convBn(images, variables, 'stem'));
  x = mbConv(x, variables, 'A', 2);
  x = mbConv(x, variables, 'B', 1);
  return tf.matMul(tf.mean(x, [1, 2]) as tf.Tensor2D, variables.classifier as tf.Tensor2D);
}

/** Trains `steps` plain SGD steps on `backendName` from seeded weights and data. */
async function train(backendName: string): Promise<StepRecord[]> {
  await useBackend(backendName);
  const numTensorsBefore = tf.memory().numTensors;
  const { variables, images, labels } = tf.tidy(() => {
    const variables: Variables = {};
    let seed = 1;
    const seeded = (shape: number[], scale: number, shift = 0) =>
      tf.variable(tf.add(tf.mul(tf.tensor(seededValues(shape, seed++), shape), scale), shift));
    for (const [name, shape] of Object.entries(parameterShapes)) {
      variables[name] = seeded(shape, 0.5);
    }
    for (const name of batchNorms) {
      const channels = parameterShapes[name]![name.startsWith('depthwise') ? 2 : 3]!;
      variables[`${name}.gamma`] = seeded([channels], 0.1, 1);
      variables[`${name}.beta`] = seeded([channels], 0.1);
    }
    const shape: [number, number, number, number] = [batch, resolution, resolution, 3];
    return {
      variables,
      images: tf.tensor4d(seededValues(shape, 99), shape),
      labels: tf.oneHot(tf.tensor1d([0, 3, 1, 4], 'int32'), numClasses),
    };
  });
  const records: StepRecord[] = [];
  for (let step = 0; step < steps; step++) {
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(labels, logits(images, variables)) as tf.Scalar,
    );
    const gradients: Record<string, Float32Array> = {};
    for (const [name, variable] of Object.entries(variables)) {
      const gradient = grads[variable.name]!;
      gradients[name] = gradient.dataSync() as Float32Array;
      tf.tidy(() => variable.assign(tf.sub(variable, tf.mul(gradient, learningRate))));
    }
    records.push({ loss: value.dataSync()[0]!, gradients });
    tf.dispose([value, ...Object.values(grads)]);
  }
  tf.dispose([images, labels, ...Object.values(variables)]);
  expect(tf.memory().numTensors).toBe(numTensorsBefore);
  return records;
}

describe.each(kernelPaths)('an MBConv net trained on wasm ($name)', ({ options }) => {
  it('takes the same SGD steps as on the cpu backend', async () => {
    await setUpBackends(options);
    const expected = await train('cpu');
    const actual = await train('wasm');
    const failures: string[] = [];
    for (let step = 0; step < steps; step++) {
      const want = expected[step]!;
      const got = actual[step]!;
      expect(Math.abs(got.loss - want.loss)).toBeLessThanOrEqual(1e-4);
      expect(Object.keys(got.gradients).sort()).toEqual(Object.keys(want.gradients).sort());
      for (const [name, gradient] of Object.entries(want.gradients)) {
        const mismatch = closeMismatch(got.gradients[name]!, gradient, { rtol: 0, atol: 1e-4 });
        if (mismatch !== undefined) failures.push(`step ${step} ${name}: ${mismatch}`);
      }
    }
    expect(failures).toEqual([]);
    // Training moved: the loss went down.
    expect(actual[steps - 1]!.loss).toBeLessThan(actual[0]!.loss);
  });
});
