import { formatValue } from '@supernas/errors';
import { StaticGraphError } from '../errors.js';
import type { StaticNode } from '../types.js';
import { floatType, type GraphBuilder } from './graph-builder.js';
import { attr } from './graph-def.js';

type ActivationNode = Extract<StaticNode, { kind: 'activation' }>;
type AvgPoolNode = Extract<StaticNode, { kind: 'avgPool' }>;

/**
 * An activation as TF ops: swish is x * sigmoid(x), h_sigmoid is relu6(x + 3) * (1 / 6) and
 * h_swish is x * h_sigmoid(x), as the reference defines them.
 */
export function emitActivation(
  graph: GraphBuilder,
  node: ActivationNode,
  x: string,
  finalName: () => string,
): string {
  const base = node.output;
  const t = { T: floatType };
  const hardSigmoid = (name: () => string): string => {
    const shifted = graph.add(
      graph.uniqueName(`${base}/add3`),
      'AddV2',
      [x, graph.scalar(3, 'three')],
      t,
    );
    const clipped = graph.add(graph.uniqueName(`${base}/relu6`), 'Relu6', [shifted], t);
    return graph.add(name(), 'Mul', [clipped, graph.scalar(1 / 6, 'one_sixth')], t);
  };
  switch (node.activation) {
    case 'relu':
      return graph.add(finalName(), 'Relu', [x], t);
    case 'relu6':
      return graph.add(finalName(), 'Relu6', [x], t);
    case 'sigmoid':
      return graph.add(finalName(), 'Sigmoid', [x], t);
    case 'swish': {
      const gate = graph.add(graph.uniqueName(`${base}/sigmoid`), 'Sigmoid', [x], t);
      return graph.add(finalName(), 'Mul', [x, gate], t);
    }
    case 'h_sigmoid':
      return hardSigmoid(finalName);
    case 'h_swish': {
      const gate = hardSigmoid(() => graph.uniqueName(`${base}/h_sigmoid`));
      return graph.add(finalName(), 'Mul', [x, gate], t);
    }
    default:
      throw new StaticGraphError(
        node,
        `subnetToGraphDef: activation ${formatValue((node as { activation: unknown }).activation)}, expected relu, relu6, sigmoid, swish, h_sigmoid or h_swish`,
      );
  }
}

/**
 * PyTorch's average pools: floor mode is TF's VALID; zero padding counted in the average
 * (`count_include_pad`) is an explicit Pad before VALID; ceil mode with window = stride and no
 * padding is TF's SAME (the partial last window averages only the cells inside, as PyTorch does).
 */
export function emitAveragePool(
  graph: GraphBuilder,
  node: AvgPoolNode,
  x: string,
  finalName: () => string,
): string {
  const padding = node.padding ?? 0;
  if (node.ceilMode && (node.size !== node.stride || padding > 0)) {
    throw new StaticGraphError(
      node,
      `subnetToGraphDef: ceil mode with window ${node.size}, stride ${node.stride} and padding ${padding}, expected window = stride and no padding (the only ceil-mode pool a graph model reproduces at every input size)`,
    );
  }
  const padded =
    padding > 0
      ? graph.add(
          graph.uniqueName(`${node.output}/pad`),
          'Pad',
          [x, graph.symmetricPaddings(padding)],
          {
            T: floatType,
          },
        )
      : x;
  return graph.add(finalName(), 'AvgPool', [padded], {
    T: floatType,
    ksize: attr.ints([1, node.size, node.size, 1]),
    strides: attr.ints([1, node.stride, node.stride, 1]),
    padding: attr.string(node.ceilMode ? 'SAME' : 'VALID'),
    data_format: attr.string('NHWC'),
  });
}
