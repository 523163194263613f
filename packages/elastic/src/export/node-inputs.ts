import type { StaticNode } from '../types.js';

/** The tensor names a node reads, in argument order. */
export function nodeInputs(node: StaticNode): readonly string[] {
  return 'inputs' in node ? node.inputs : [node.input];
}

/** The weight names a node reads. */
export function nodeWeights(node: StaticNode): string[] {
  switch (node.kind) {
    case 'conv2d':
    case 'dense':
      return node.bias === undefined ? [node.weight] : [node.weight, node.bias];
    case 'batchNorm':
      return [node.gamma, node.beta, node.mean, node.variance];
    default:
      return [];
  }
}
