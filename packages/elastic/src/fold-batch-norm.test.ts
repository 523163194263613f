import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeStaticSubnet } from './dispose-static-subnet.js';
import { StaticGraphError } from './errors.js';
import { fixtureSubnet } from './export/test-utils/fixture-subnet.js';
import { referenceRun } from './export/test-utils/reference-run.js';
import { relativeError } from './export/test-utils/relative-error.js';
import { foldBatchNorm } from './fold-batch-norm.js';
import type { StaticSubnet } from './types.js';

const batchNormOutputs = (subnet: StaticSubnet) =>
  subnet.nodes.filter((node) => node.kind === 'batchNorm').map((node) => node.output);

describe('foldBatchNorm', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('predicts what the unfolded subnet predicts, within 1e-5 relative', () => {
    const before = tf.memory().numTensors;
    const subnet = fixtureSubnet(3);
    const folded = foldBatchNorm(subnet);
    const input = tf.randomNormal([4, 7, 7, 3], 0, 1, 'float32', 11) as tf.Tensor4D;
    const expected = referenceRun(subnet, input);
    const actual = referenceRun(folded, input);
    expect(actual.shape).toEqual([4, 5]);
    expect(relativeError(actual, expected)).toBeLessThan(1e-5);
    tf.dispose([input, expected, actual]);
    disposeStaticSubnet(subnet);
    disposeStaticSubnet(folded);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('folds only batchNorms right after a conv whose output nothing else reads', () => {
    const subnet = fixtureSubnet();
    const folded = foldBatchNorm(subnet);
    expect(batchNormOutputs(subnet)).toEqual([
      'stem.bn',
      'b0.dw.bn',
      'b0.project.bn',
      'b0.shortcut.bn',
      'b0.out.bn',
      'head.bn',
    ]);
    // b0.out.bn follows an add; head.bn's conv output also feeds head.sum.
    expect(batchNormOutputs(folded)).toEqual(['b0.out.bn', 'head.bn']);
    const stem = folded.nodes[0];
    expect(stem).toMatchObject({
      kind: 'conv2d',
      output: 'stem.bn',
      weight: 'stem.conv.weight',
      bias: 'stem.conv.bias',
    });
    expect(folded.nodes).toHaveLength(subnet.nodes.length - 4);
    expect(folded.weights.has('stem.bn.running_mean')).toBe(false);
    expect(folded.weights.has('head.bn.running_mean')).toBe(true);
    disposeStaticSubnet(subnet);
    disposeStaticSubnet(folded);
  });

  it('gives the folded subnet its own weights and leaves the input subnet unchanged', () => {
    const subnet = fixtureSubnet();
    const original = subnet.weights.get('stem.conv.weight')?.arraySync();
    const folded = foldBatchNorm(subnet);
    expect(subnet.weights.get('stem.conv.weight')?.arraySync()).toEqual(original);
    expect(folded.weights.get('stem.conv.weight')?.arraySync()).not.toEqual(original);
    disposeStaticSubnet(subnet);
    const input = tf.ones([1, 7, 7, 3]) as tf.Tensor4D;
    const logits = referenceRun(folded, input);
    expect(logits.shape).toEqual([1, 5]);
    tf.dispose([input, logits]);
    disposeStaticSubnet(folded);
  });

  it('renames a folded weight that another conv also reads', () => {
    const subnet = fixtureSubnet();
    const shared: StaticSubnet = {
      ...subnet,
      nodes: subnet.nodes.map((node) =>
        node.kind === 'conv2d' && node.output === 'b0.shortcut.conv'
          ? { ...node, weight: 'b0.project.weight' }
          : node,
      ),
    };
    const folded = foldBatchNorm(shared);
    const project = folded.nodes.find((node) => node.output === 'b0.project.bn');
    const shortcut = folded.nodes.find((node) => node.output === 'b0.shortcut.bn');
    expect(project).toMatchObject({ weight: 'b0.project.weight/folded' });
    expect(shortcut).toMatchObject({ weight: 'b0.project.weight/folded_1' });
    disposeStaticSubnet(subnet);
    disposeStaticSubnet(folded);
  });

  it('rejects a node that names a missing weight, allocating nothing', () => {
    const subnet = fixtureSubnet();
    const before = tf.memory().numTensors;
    const broken: StaticSubnet = {
      ...subnet,
      nodes: subnet.nodes.map((node) =>
        node.kind === 'batchNorm' && node.output === 'stem.bn' ? { ...node, gamma: 'nope' } : node,
      ),
    };
    expect(() => foldBatchNorm(broken)).toThrow(StaticGraphError);
    expect(() => foldBatchNorm(broken)).toThrow(/reads weight 'nope'/);
    expect(tf.memory().numTensors).toBe(before);
    disposeStaticSubnet(subnet);
  });
});
