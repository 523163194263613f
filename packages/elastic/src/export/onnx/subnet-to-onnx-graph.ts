import * as tf from '@tensorflow/tfjs-core';
import { StaticGraphError } from '../../errors.js';
import type { StaticNode, StaticSubnet } from '../../types.js';
import { nodeWeights } from '../node-inputs.js';
import { OnnxGraphBuilder } from './onnx-graph-builder.js';

/** Names of the ONNX graph's input and output, as the tfjs graph model's. */
export const onnxInputName = 'input';
export const onnxOutputName = 'logits';

/** How the model takes its images: NHWC as the tfjs models (default), or ONNX's own NCHW. */
export type OnnxInputLayout = 'NHWC' | 'NCHW';

type ActivationNode = Extract<StaticNode, { kind: 'activation' }>;
type AvgPoolNode = Extract<StaticNode, { kind: 'avgPool' }>;
type ConvNode = Extract<StaticNode, { kind: 'conv2d' }>;

/** The translated graph: nodes in order and the builder that holds the initializers. */
export interface SubnetOnnxGraph {
  readonly builder: OnnxGraphBuilder;
  /** Dims of the input: `batch` is symbolic. */
  readonly inputShape: readonly (number | 'batch')[];
}

/**
 * Translates a static subnet into ONNX nodes (opset 14) that compute what `runStaticSubnet`
 * does: the images go NHWC -> NCHW once at the start (unless the input is NCHW already); convs
 * become Conv with OIHW weights and explicit symmetric pads (depthwise: `group` = channels),
 * batchNorm BatchNormalization, pools AveragePool / GlobalAveragePool, dense Gemm. Activations
 * follow the reference: relu6 is Clip(0, 6), swish x * Sigmoid(x), h_sigmoid HardSigmoid with
 * alpha 1/6 and beta 0.5 (= relu6(x + 3) / 6), h_swish HardSwish (= x * relu6(x + 3) / 6).
 * The caller disposes `builder` after reading the initializers.
 */
export function subnetToOnnxGraph(
  subnet: StaticSubnet,
  inputLayout: OnnxInputLayout = 'NHWC',
): SubnetOnnxGraph {
  const builder = new OnnxGraphBuilder([onnxInputName, onnxOutputName]);
  const { resolution } = subnet.arch;
  // ONNX name and spatial size (rank-4 tensors; undefined once flattened) of each IR tensor.
  const onnxNameOf = new Map<string, string>();
  const spatialOf = new Map<string, number | undefined>();
  const read = (name: string, node: StaticNode): string => {
    const onnxName = onnxNameOf.get(name);
    if (onnxName === undefined) {
      throw new StaticGraphError(
        node,
        `exportOnnx: reads tensor '${name}', which no earlier node makes`,
      );
    }
    return onnxName;
  };
  const weight = (name: string): tf.Tensor => subnet.weights.get(name) as tf.Tensor;

  try {
    onnxNameOf.set(
      onnxInputName,
      inputLayout === 'NHWC'
        ? builder.add('Transpose', [onnxInputName], builder.uniqueName('input/nchw'), {
            perm: [0, 3, 1, 2],
          })
        : onnxInputName,
    );
    spatialOf.set(onnxInputName, resolution);
    for (const node of subnet.nodes) {
      for (const name of nodeWeights(node)) {
        if (!subnet.weights.has(name)) {
          throw new StaticGraphError(
            node,
            `exportOnnx: reads weight '${name}', which the subnet does not have`,
          );
        }
      }
      const outputName = () =>
        node.output === onnxOutputName ? onnxOutputName : builder.uniqueName(node.output);
      const helperName = (suffix: string) => builder.uniqueName(`${node.output}/${suffix}`);
      let output: string;
      let spatial: number | undefined;
      switch (node.kind) {
        case 'conv2d': {
          output = emitConv(builder, node, read(node.input, node), weight, outputName());
          const size = spatialOf.get(node.input) ?? 0;
          spatial = Math.floor((size + 2 * node.padding - node.kernelSize) / node.stride) + 1;
          break;
        }
        case 'batchNorm': {
          const parameters = [node.gamma, node.beta, node.mean, node.variance].map((name) =>
            builder.initializer(`weight:${name}`, name, () => tf.clone(weight(name))),
          );
          output = builder.add(
            'BatchNormalization',
            [read(node.input, node), ...parameters],
            outputName(),
            { epsilon: node.epsilon },
          );
          spatial = spatialOf.get(node.input);
          break;
        }
        case 'activation':
          output = emitActivation(builder, node, read(node.input, node), outputName, helperName);
          spatial = spatialOf.get(node.input);
          break;
        case 'add':
        case 'multiply':
          output = builder.add(
            node.kind === 'add' ? 'Add' : 'Mul',
            [read(node.inputs[0], node), read(node.inputs[1], node)],
            outputName(),
          );
          spatial = spatialOf.get(node.inputs[0]);
          break;
        case 'globalAvgPool':
          output = builder.add('GlobalAveragePool', [read(node.input, node)], outputName());
          spatial = 1;
          break;
        case 'avgPool': {
          output = emitAveragePool(builder, node, read(node.input, node), outputName());
          const padded = (spatialOf.get(node.input) ?? 0) + 2 * (node.padding ?? 0);
          const steps = (padded - node.size) / node.stride;
          spatial = (node.ceilMode ? Math.ceil(steps) : Math.floor(steps)) + 1;
          break;
        }
        case 'flatten': {
          // NHWC order of the flattened features, as tfjs': a 1x1 map needs no transpose.
          let x = read(node.input, node);
          if (spatialOf.get(node.input) !== 1)
            x = builder.add('Transpose', [x], helperName('nhwc'), { perm: [0, 2, 3, 1] });
          output = builder.add('Flatten', [x], outputName(), { axis: { int: 1 } });
          spatial = undefined;
          break;
        }
        case 'dense': {
          const inputs = [
            read(node.input, node),
            builder.initializer(`weight:${node.weight}`, node.weight, () =>
              tf.clone(weight(node.weight)),
            ),
          ];
          const bias = node.bias;
          if (bias !== undefined)
            inputs.push(builder.initializer(`weight:${bias}`, bias, () => tf.clone(weight(bias))));
          output = builder.add('Gemm', inputs, outputName());
          spatial = undefined;
          break;
        }
        default:
          throw new StaticGraphError(
            node,
            `exportOnnx: unknown node kind '${String((node as { kind: unknown }).kind)}'`,
          );
      }
      onnxNameOf.set(node.output, output);
      spatialOf.set(node.output, spatial);
    }
    if (onnxNameOf.get(onnxOutputName) !== onnxOutputName) {
      throw new Error(`exportOnnx: no node outputs '${onnxOutputName}', expected the last node to`);
    }
  } catch (error) {
    builder.dispose();
    throw error;
  }
  const inputShape: (number | 'batch')[] =
    inputLayout === 'NHWC'
      ? ['batch', resolution, resolution, subnet.inputChannels]
      : ['batch', subnet.inputChannels, resolution, resolution];
  return { builder, inputShape };
}

function emitConv(
  builder: OnnxGraphBuilder,
  node: ConvNode,
  x: string,
  weight: (name: string) => tf.Tensor,
  output: string,
): string {
  const filter = weight(node.weight);
  // tfjs HWIO -> ONNX OIHW; depthwise [k, k, C, 1] -> [C, 1, k, k] with one group per channel.
  const perm = node.depthwise ? [2, 3, 0, 1] : [3, 2, 0, 1];
  const inputs = [
    x,
    builder.initializer(`oihw:${node.weight}`, node.weight, () => tf.transpose(filter, perm)),
  ];
  const bias = node.bias;
  if (bias !== undefined)
    inputs.push(builder.initializer(`weight:${bias}`, bias, () => tf.clone(weight(bias))));
  const { kernelSize, stride, padding } = node;
  return builder.add('Conv', inputs, output, {
    kernel_shape: [kernelSize, kernelSize],
    strides: [stride, stride],
    pads: [padding, padding, padding, padding],
    dilations: [1, 1],
    group: { int: node.depthwise ? (filter.shape[2] ?? 1) : 1 },
  });
}

function emitActivation(
  builder: OnnxGraphBuilder,
  node: ActivationNode,
  x: string,
  outputName: () => string,
  helperName: (suffix: string) => string,
): string {
  switch (node.activation) {
    case 'relu':
      return builder.add('Relu', [x], outputName());
    case 'relu6':
      return builder.add(
        'Clip',
        [x, builder.scalar(0, 'zero'), builder.scalar(6, 'six')],
        outputName(),
      );
    case 'sigmoid':
      return builder.add('Sigmoid', [x], outputName());
    case 'swish': {
      const gate = builder.add('Sigmoid', [x], helperName('sigmoid'));
      return builder.add('Mul', [x, gate], outputName());
    }
    case 'h_sigmoid':
      return builder.add('HardSigmoid', [x], outputName(), { alpha: 1 / 6, beta: 0.5 });
    case 'h_swish':
      return builder.add('HardSwish', [x], outputName());
    default:
      throw new StaticGraphError(
        node,
        `exportOnnx: activation '${String((node as { activation: unknown }).activation)}', expected relu, relu6, sigmoid, swish, h_sigmoid or h_swish`,
      );
  }
}

/**
 * PyTorch's average pools: zero padding counted in the average is `count_include_pad`; ceil
 * mode's partial last window averages only the cells inside the input, which ONNX does with
 * `count_include_pad` 0 when there is no padding to count.
 */
function emitAveragePool(
  builder: OnnxGraphBuilder,
  node: AvgPoolNode,
  x: string,
  output: string,
): string {
  const padding = node.padding ?? 0;
  if (node.ceilMode && padding > 0) {
    throw new StaticGraphError(
      node,
      `exportOnnx: ceil mode with padding ${padding}, expected padding 0 (ONNX cannot count the zero padding but not the ceil-mode overhang)`,
    );
  }
  return builder.add('AveragePool', [x], output, {
    kernel_shape: [node.size, node.size],
    strides: [node.stride, node.stride],
    pads: [padding, padding, padding, padding],
    ceil_mode: { int: node.ceilMode ? 1 : 0 },
    count_include_pad: { int: padding > 0 ? 1 : 0 },
  });
}
