import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeStaticSubnet } from '../dispose-static-subnet.js';
import { graphModelArtifacts } from './graph-model-artifacts.js';
import { fixtureSubnet } from './test-utils/fixture-subnet.js';
import { referenceRun } from './test-utils/reference-run.js';
import { relativeError } from './test-utils/relative-error.js';

describe('graphModelArtifacts', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('loads through tf.io.fromMemory and names its input and output in the signature', async () => {
    const before = tf.memory().numTensors;
    const subnet = fixtureSubnet(2);
    const artifacts = await graphModelArtifacts(subnet);
    expect(tf.memory().numTensors).toBe(before + subnet.weights.size);
    const model = await loadGraphModel(tf.io.fromMemory(artifacts));
    expect(model.inputs.map((input) => [input.name, input.shape])).toEqual([
      ['input', [-1, 7, 7, 3]],
    ]);
    expect(model.outputs.map((output) => output.name)).toEqual(['logits']);
    const input = tf.randomNormal([2, 7, 7, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
    const expected = referenceRun(subnet, input);
    const actual = model.execute({ input }, 'logits') as tf.Tensor;
    expect(relativeError(actual, expected)).toBeLessThan(1e-5);
    tf.dispose([input, expected, actual]);
    model.dispose();
    disposeStaticSubnet(subnet);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the batchNorms when asked not to fold', async () => {
    const subnet = fixtureSubnet();
    const artifacts = await graphModelArtifacts(subnet, { foldBatchNorm: false });
    const ops = (artifacts.modelTopology as { node: { op: string }[] }).node.map((node) => node.op);
    expect(ops.filter((op) => op === 'FusedBatchNormV3')).toHaveLength(6);
    expect(artifacts.userDefinedMetadata?.supernas).toMatchObject({ foldedBatchNorm: false });
    disposeStaticSubnet(subnet);
  });
});
