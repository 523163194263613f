import type { StaticNode } from '@supernas/elastic';
import { SupernasError } from '@supernas/errors';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { InferenceNode, InferenceWeight } from './inference-graph.js';
import { lowerInferenceGraph, StaticSubnetUnsupportedError } from './lower-inference-graph.js';

const weight = (shape: number[], fill: (index: number) => number): InferenceWeight => ({
  shape,
  values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => fill(i)),
});

// input [1, 4, 4, 2] -> 1x1 conv (2 -> 2) -> BN -> swish -> 1x1 conv -> BN -> add input -> pool
// -> flatten -> dense (2 -> 3).
const nodes: InferenceNode[] = [
  {
    kind: 'conv2d',
    input: 'input',
    output: 'c1',
    weight: 'w1',
    kernelSize: 1,
    stride: 1,
    depthwise: false,
    padding: 0,
  },
  {
    kind: 'batchNorm',
    input: 'c1',
    output: 'b1',
    gamma: 'g',
    beta: 'be',
    mean: 'm',
    variance: 'v',
    epsilon: 0,
  },
  { kind: 'activation', input: 'b1', output: 'a1', activation: 'swish' },
  {
    kind: 'conv2d',
    input: 'a1',
    output: 'c2',
    weight: 'w2',
    kernelSize: 1,
    stride: 1,
    depthwise: false,
    padding: 0,
  },
  {
    kind: 'batchNorm',
    input: 'c2',
    output: 'b2',
    gamma: 'g',
    beta: 'be',
    mean: 'm',
    variance: 'v',
    epsilon: 0,
  },
  { kind: 'add', inputs: ['b2', 'input'], output: 'sum' },
  { kind: 'globalAvgPool', input: 'sum', output: 'pool' },
  { kind: 'flatten', input: 'pool', output: 'flat' },
  { kind: 'dense', input: 'flat', output: 'logits', weight: 'wd', bias: 'bd' },
];
const weights = new Map<string, InferenceWeight>([
  ['w1', weight([1, 1, 2, 2], (i) => i + 1)],
  ['w2', weight([1, 1, 2, 2], (i) => 1 - i)],
  ['g', weight([2], () => 2)],
  ['be', weight([2], (i) => i)],
  ['m', weight([2], () => 0.5)],
  ['v', weight([2], () => 4)],
  ['wd', weight([2, 3], (i) => i)],
  ['bd', weight([3], () => 0)],
]);

describe('lowerInferenceGraph', () => {
  it('takes every node @supernas/elastic puts in a static subnet', () => {
    // InferenceNode restates elastic's StaticNode (this package must not depend on elastic).
    expectTypeOf<StaticNode>().toExtend<InferenceNode>();
  });

  it('folds batch norms into the convolutions and fuses swish and the residual add', () => {
    const spec = lowerInferenceGraph(nodes, weights, [1, 4, 4, 2]);
    expect(spec.ops.map((op) => op.kind)).toEqual(['conv', 'conv', 'globalAvgPool', 'dense']);
    const [first, second] = spec.ops as unknown as [
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    expect(first).toMatchObject({ postOp: 3, activation: 0, sum: false, src: -1 });
    // scale = 2 / sqrt(4) = 1, shift = beta - 0.5: weights unchanged, bias = [-0.5, 0.5].
    expect([...(spec.weights[first.weight as number] as Float32Array)]).toEqual([1, 2, 3, 4]);
    expect([...(spec.weights[first.bias as number] as Float32Array)]).toEqual([-0.5, 0.5]);
    // The residual is the plan's input, which is never written: the conv starts from a copy.
    expect(second).toMatchObject({ postOp: 0, sum: true, sumCopyFrom: -1 });
    expect(spec.outputShape).toEqual([1, 3]);
    expect(spec.inputSize).toBe(32);
    expect(spec.outputSize).toBe(3);
  });

  it('reuses the buffers of dead values', () => {
    const spec = lowerInferenceGraph(nodes, weights, [1, 4, 4, 2]);
    // a1's buffer is dead once the second conv has read it: the pool output takes it, and the
    // logits take the residual sum's once the pool has read that.
    expect(spec.buffers).toEqual([32, 32]);
    expect(spec.ops.map((op) => op.dst)).toEqual([0, 1, 0, 1]);
    expect(spec.output).toBe(1);
  });

  it('leaves a batch norm with non-finite statistics to run on its own', () => {
    const infinite = new Map(weights);
    infinite.set(
      'v',
      weight([2], () => -1),
    );
    const head = [...nodes.slice(0, 2), { ...nodes[2], output: 'logits' } as InferenceNode];
    const spec = lowerInferenceGraph(head, infinite, [1, 4, 4, 2]);
    expect(spec.ops.map((op) => op.kind)).toEqual(['conv', 'scaleShift']);
    expect(spec.ops[1]).toMatchObject({ activation: 3 });
  });

  it('throws a SupernasError with a stable code for a graph it does not compile', () => {
    const broadcast: InferenceNode[] = [
      { kind: 'globalAvgPool', input: 'input', output: 'pool' },
      { kind: 'add', inputs: ['input', 'pool'], output: 'logits' },
    ];
    expect(() => lowerInferenceGraph(broadcast, weights, [1, 4, 4, 2])).toThrow(
      StaticSubnetUnsupportedError,
    );
    try {
      lowerInferenceGraph([{ kind: 'gather' } as unknown as InferenceNode], weights, [1, 4, 4, 2]);
    } catch (error) {
      expect(SupernasError.isInstance(error) && error.code).toBe('static_subnet_unsupported');
      expect(String(error)).toMatch(/unknown node kind 'gather'/);
    }
    expect.assertions(3);
  });
});
