import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from './graph-builder.js';

describe('GraphBuilder', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('makes names legal for TF and unique, never taking a reserved one', () => {
    const graph = new GraphBuilder(new Map(), ['logits']);
    expect(graph.uniqueName('blocks.0:conv out')).toBe('blocks.0_conv_out');
    expect(graph.uniqueName('_hidden')).toBe('n_hidden');
    expect(graph.uniqueName('logits')).toBe('logits_1');
    expect(graph.uniqueName('logits')).toBe('logits_2');
  });

  it('emits one Const per weight or constant however often it is read, and frees only its own', () => {
    const weight = tf.ones([2, 3]);
    const before = tf.memory().numTensors;
    const graph = new GraphBuilder(new Map([['dense.weight', weight]]), []);
    expect(graph.weight('dense.weight')).toBe(graph.weight('dense.weight'));
    expect(graph.scalar(3, 'three')).toBe(graph.scalar(3, 'three'));
    expect(graph.nodes.map((node) => [node.name, node.op])).toEqual([
      ['dense.weight', 'Const'],
      ['const/three', 'Const'],
    ]);
    expect(graph.nodes[0]?.attr).toEqual({
      dtype: { type: 'DT_FLOAT' },
      value: {
        tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '2' }, { size: '3' }] } },
      },
    });
    graph.disposeOwned();
    expect(tf.memory().numTensors).toBe(before);
    expect(weight.isDisposed).toBe(false);
    weight.dispose();
  });
});
