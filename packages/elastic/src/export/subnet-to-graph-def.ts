import type * as tf from '@tensorflow/tfjs-core';
import { StaticGraphError } from '../errors.js';
import type { StaticNode, StaticSubnet } from '../types.js';
import { floatType as float, GraphBuilder, type GraphConstant, nhwc } from './graph-builder.js';
import { attr, type GraphDefJson, tensorShape } from './graph-def.js';
import { emitActivation, emitAveragePool } from './graph-emitters.js';
import { nodeWeights } from './node-inputs.js';

/** Name of the graph's input placeholder and of its output node. */
export const graphInputName = 'input';
export const graphOutputName = 'logits';

export interface SubnetGraph {
  readonly graphDef: GraphDefJson;
  /** Tensors of the Const nodes; `owned` ones were made here and must be freed by the caller. */
  readonly constants: readonly GraphConstant[];
  /** tfjs graph-model signature naming the input and output. */
  readonly signature: object;
}

/**
 * Translates a static subnet into a TF GraphDef (JSON) of ops the tfjs converter runs:
 * Placeholder, Const, Pad, Conv2D, DepthwiseConv2dNative, BiasAdd, FusedBatchNormV3, Relu,
 * Relu6, Sigmoid, AddV2, Mul, Mean, AvgPool, Reshape, MatMul. PyTorch's symmetric padding maps
 * to SAME where the two agree for every input size (stride 1, padding (k - 1) / 2), otherwise
 * to an explicit Pad before a VALID op, so the graph is right at any resolution.
 */
export function subnetToGraphDef(subnet: StaticSubnet): SubnetGraph {
  const graph = new GraphBuilder(subnet.weights, [graphInputName, graphOutputName]);
  const graphNameOf = new Map<string, string>([[graphInputName, graphInputName]]);
  const channelsOf = new Map<string, number>([[graphInputName, subnet.inputChannels]]);
  const input = (name: string, node: StaticNode): string => {
    const graphName = graphNameOf.get(name);
    if (graphName === undefined) {
      throw new StaticGraphError(
        node,
        `subnetToGraphDef: reads tensor '${name}', which no earlier node makes`,
      );
    }
    return graphName;
  };
  const channels = (name: string): number => channelsOf.get(name) as number;
  const { resolution } = subnet.arch;

  try {
    graph.add(graphInputName, 'Placeholder', [], {
      dtype: float,
      shape: attr.shape([-1, resolution, resolution, subnet.inputChannels]),
    });
    for (const node of subnet.nodes) {
      for (const name of nodeWeights(node)) {
        if (!subnet.weights.has(name)) {
          throw new StaticGraphError(
            node,
            `subnetToGraphDef: reads weight '${name}', which the subnet does not have`,
          );
        }
      }
      const base = node.output;
      // The last op of each node takes the node's own name; helper ops are scoped under it.
      const finalName = () => (base === graphOutputName ? graphOutputName : graph.uniqueName(base));
      let output: string;
      let outputChannels: number;
      switch (node.kind) {
        case 'conv2d': {
          let x = input(node.input, node);
          const sameAgrees = node.stride === 1 && 2 * node.padding === node.kernelSize - 1;
          if (node.padding > 0 && !sameAgrees) {
            const paddings = graph.symmetricPaddings(node.padding);
            x = graph.add(graph.uniqueName(`${base}/pad`), 'Pad', [x, paddings], { T: float });
          }
          const filter = subnet.weights.get(node.weight) as tf.Tensor;
          outputChannels = (node.depthwise ? filter.shape[2] : filter.shape[3]) ?? 0;
          const convName = node.bias === undefined ? finalName() : graph.uniqueName(`${base}/conv`);
          graph.add(
            convName,
            node.depthwise ? 'DepthwiseConv2dNative' : 'Conv2D',
            [x, graph.weight(node.weight)],
            {
              T: float,
              strides: attr.ints([1, node.stride, node.stride, 1]),
              padding: attr.string(node.padding > 0 && sameAgrees ? 'SAME' : 'VALID'),
              data_format: nhwc,
              dilations: attr.ints([1, 1, 1, 1]),
            },
          );
          output =
            node.bias === undefined
              ? convName
              : graph.add(finalName(), 'BiasAdd', [convName, graph.weight(node.bias)], {
                  T: float,
                  data_format: nhwc,
                });
          break;
        }
        case 'batchNorm': {
          outputChannels = channels(node.input);
          const parameters = [node.gamma, node.beta, node.mean, node.variance].map((name) =>
            graph.weight(name),
          );
          output = graph.add(
            finalName(),
            'FusedBatchNormV3',
            [input(node.input, node), ...parameters],
            {
              T: float,
              U: float,
              epsilon: attr.float(node.epsilon),
              data_format: nhwc,
              is_training: attr.bool(false),
            },
          );
          break;
        }
        case 'activation':
          outputChannels = channels(node.input);
          output = emitActivation(graph, node, input(node.input, node), finalName);
          break;
        case 'add':
        case 'multiply': {
          outputChannels = channels(node.inputs[0]);
          const operands = [input(node.inputs[0], node), input(node.inputs[1], node)];
          output = graph.add(finalName(), node.kind === 'add' ? 'AddV2' : 'Mul', operands, {
            T: float,
          });
          break;
        }
        case 'globalAvgPool':
          outputChannels = channels(node.input);
          output = graph.add(
            finalName(),
            'Mean',
            [input(node.input, node), graph.int32Vector([1, 2], 'spatial_axes')],
            {
              T: float,
              Tidx: attr.type('DT_INT32'),
              keep_dims: attr.bool(true),
            },
          );
          break;
        case 'avgPool':
          outputChannels = channels(node.input);
          output = emitAveragePool(graph, node, input(node.input, node), finalName);
          break;
        case 'flatten': {
          outputChannels = channels(node.input);
          const shape = graph.int32Vector([-1, outputChannels], `flat_shape_${outputChannels}`);
          output = graph.add(finalName(), 'Reshape', [input(node.input, node), shape], {
            T: float,
            Tshape: attr.type('DT_INT32'),
          });
          break;
        }
        case 'dense': {
          outputChannels = (subnet.weights.get(node.weight) as tf.Tensor).shape[1] ?? 0;
          const productName =
            node.bias === undefined ? finalName() : graph.uniqueName(`${base}/matmul`);
          graph.add(productName, 'MatMul', [input(node.input, node), graph.weight(node.weight)], {
            T: float,
            transpose_a: attr.bool(false),
            transpose_b: attr.bool(false),
          });
          output =
            node.bias === undefined
              ? productName
              : graph.add(finalName(), 'BiasAdd', [productName, graph.weight(node.bias)], {
                  T: float,
                  data_format: nhwc,
                });
          break;
        }
        default:
          throw new StaticGraphError(
            node,
            `subnetToGraphDef: unknown node kind '${String((node as { kind: unknown }).kind)}'`,
          );
      }
      graphNameOf.set(node.output, output);
      channelsOf.set(node.output, outputChannels);
    }
    if (graphNameOf.get(graphOutputName) !== graphOutputName) {
      throw new Error(
        `subnetToGraphDef: no node outputs '${graphOutputName}', expected the last node to`,
      );
    }
  } catch (error) {
    graph.disposeOwned();
    throw error;
  }

  const tensorInfo = (name: string, dims: number[]) => ({
    name: `${name}:0`,
    dtype: 'DT_FLOAT',
    tensorShape: tensorShape(dims),
  });
  return {
    graphDef: { node: graph.nodes, library: {}, versions: { producer: 1, minConsumer: 0 } },
    constants: graph.constants,
    signature: {
      inputs: {
        [graphInputName]: tensorInfo(graphInputName, [
          -1,
          resolution,
          resolution,
          subnet.inputChannels,
        ]),
      },
      outputs: { [graphOutputName]: tensorInfo(graphOutputName, [-1, subnet.numClasses]) },
    },
  };
}
