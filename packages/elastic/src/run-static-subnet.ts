import * as tf from '@tensorflow/tfjs-core';
import { applyActivation } from './activation.js';
import { batchNormWithStatistics } from './batch-norm.js';
import {
  averagePool,
  depthwiseConv,
  globalAveragePool,
  pointwiseConv,
  spatialConv,
} from './elastic-ops.js';
import { DisposedError, MissingWeightError, StaticGraphError } from './errors.js';
import { checkInput } from './forward-supernet.js';
import { runStaticSubnetKernel } from './run-static-subnet-kernel.js';
import type { StaticNode, StaticSubnet } from './types.js';

function convNode(
  node: Extract<StaticNode, { kind: 'conv2d' }>,
  x: tf.Tensor4D,
  weight: tf.Tensor4D,
): tf.Tensor4D {
  if (node.depthwise) return depthwiseConv(x, weight, node.stride, node.padding);
  if (node.kernelSize === 1 && node.stride === 1 && node.padding === 0)
    return pointwiseConv(x, weight);
  return spatialConv(x, weight, node.stride, node.padding);
}

/**
 * Runs a static subnet (inference: BN with its stored statistics) on `x` of shape
 * [N, resolution, resolution, inputChannels]; returns the logits [N, numClasses]. Where the
 * active backend registers `SupernasStaticSubnet` (the `native` backend does) the whole forward
 * is one kernel call, with the same result.
 */
export function runStaticSubnet(subnet: StaticSubnet, x: tf.Tensor4D): tf.Tensor2D {
  checkInput(x, subnet.arch.resolution, subnet.inputChannels, 'runStaticSubnet');
  const compiled = runStaticSubnetKernel(subnet, x);
  if (compiled !== undefined) return compiled;
  return tf.tidy(() => {
    const values = new Map<string, tf.Tensor>([['input', x]]);
    const weight = <T extends tf.Tensor>(name: string): T => {
      const tensor = subnet.weights.get(name);
      if (tensor === undefined)
        throw new MissingWeightError(name, 'is missing from the static subnet');
      if (tensor.isDisposed) throw new DisposedError('StaticSubnet');
      return tensor as T;
    };
    const read = <T extends tf.Tensor>(node: StaticNode, name: string): T => {
      const tensor = values.get(name);
      if (tensor === undefined)
        throw new StaticGraphError(node, `input ${name} is not produced by an earlier node`);
      return tensor as T;
    };
    for (const node of subnet.nodes) {
      let output: tf.Tensor;
      switch (node.kind) {
        case 'conv2d': {
          output = convNode(node, read(node, node.input), weight(node.weight));
          if (node.bias !== undefined) output = tf.add(output, weight(node.bias));
          break;
        }
        case 'batchNorm': {
          // epsilon comes from the node: a folded or imported subnet may use another.
          output = batchNormWithStatistics(
            read(node, node.input),
            weight(node.gamma),
            weight(node.beta),
            weight(node.mean),
            weight(node.variance),
            node.epsilon,
          );
          break;
        }
        case 'activation':
          output = applyActivation(read(node, node.input), node.activation);
          break;
        case 'add':
          output = tf.add(read(node, node.inputs[0]), read(node, node.inputs[1]));
          break;
        case 'multiply':
          output = tf.mul(read(node, node.inputs[0]), read(node, node.inputs[1]));
          break;
        case 'globalAvgPool':
          output = globalAveragePool(read(node, node.input));
          break;
        case 'avgPool': {
          if (node.ceilMode || node.size !== node.stride) {
            throw new StaticGraphError(
              node,
              'only avgPool with size == stride and ceilMode false is supported',
            );
          }
          output = averagePool(read(node, node.input), node.size, node.padding ?? 0);
          break;
        }
        case 'flatten': {
          const input = read<tf.Tensor4D>(node, node.input);
          output = tf.reshape(input, [input.shape[0], input.size / input.shape[0]]);
          break;
        }
        case 'dense': {
          const input = read<tf.Tensor2D>(node, node.input);
          const bias = node.bias === undefined ? undefined : weight(node.bias);
          output = tf.fused.matMul({ a: input, b: weight<tf.Tensor2D>(node.weight), bias });
          break;
        }
        default:
          throw new StaticGraphError(node, `unknown node kind ${(node as { kind: string }).kind}`);
      }
      values.set(node.output, output);
    }
    const logits = values.get('logits');
    if (logits === undefined)
      throw new Error('runStaticSubnet: no node produces the output tensor "logits"');
    return logits as tf.Tensor2D;
  });
}
