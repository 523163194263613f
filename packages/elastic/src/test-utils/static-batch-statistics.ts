import * as tf from '@tensorflow/tfjs-core';
import { applyActivation } from '../activation.js';
import { averagePool, depthwiseConv, globalAveragePool, spatialConv } from '../elastic-ops.js';
import type { StaticSubnet } from '../types.js';

/** Per-BN-node batch mean and unbiased batch variance, as plain arrays. */
export type BatchStatistics = Map<string, { mean: number[]; unbiasedVariance: number[] }>;

/**
 * Runs a static subnet with every BN in training mode (normalising with its batch statistics) and
 * records those statistics: an independent path to what BN calibration must average. Written with
 * plain conv2d (no matMul shortcut) to share as little as possible with the supernet forward.
 */
export function staticBatchStatistics(subnet: StaticSubnet, x: tf.Tensor4D): BatchStatistics {
  const statistics: BatchStatistics = new Map();
  tf.tidy(() => {
    const values = new Map<string, tf.Tensor>([['input', x]]);
    const weight = (name: string) => subnet.weights.get(name) as tf.Tensor;
    const get = (name: string) => values.get(name) as tf.Tensor;
    for (const node of subnet.nodes) {
      let output: tf.Tensor;
      switch (node.kind) {
        case 'conv2d': {
          const input = get(node.input) as tf.Tensor4D;
          const filter = weight(node.weight) as tf.Tensor4D;
          output = node.depthwise
            ? depthwiseConv(input, filter, node.stride, node.padding)
            : spatialConv(input, filter, node.stride, node.padding);
          if (node.bias !== undefined) output = tf.add(output, weight(node.bias));
          break;
        }
        case 'batchNorm': {
          const input = get(node.input);
          const { mean, variance } = tf.moments(input, [0, 1, 2]);
          const count = input.size / (input.shape[3] as number);
          statistics.set(node.output, {
            mean: Array.from(mean.dataSync()),
            unbiasedVariance: Array.from(variance.dataSync()).map((v) => (v * count) / (count - 1)),
          });
          const normalized = tf.div(tf.sub(input, mean), tf.sqrt(tf.add(variance, node.epsilon)));
          output = tf.add(tf.mul(normalized, weight(node.gamma)), weight(node.beta));
          break;
        }
        case 'activation':
          output = applyActivation(get(node.input), node.activation);
          break;
        case 'add':
          output = tf.add(get(node.inputs[0]), get(node.inputs[1]));
          break;
        case 'multiply':
          output = tf.mul(get(node.inputs[0]), get(node.inputs[1]));
          break;
        case 'globalAvgPool':
          output = globalAveragePool(get(node.input) as tf.Tensor4D);
          break;
        case 'avgPool':
          output = averagePool(get(node.input) as tf.Tensor4D, node.size, node.padding ?? 0);
          break;
        case 'flatten': {
          const input = get(node.input);
          output = tf.reshape(input, [input.shape[0] as number, -1]);
          break;
        }
        case 'dense':
          output = tf.matMul(get(node.input) as tf.Tensor2D, weight(node.weight) as tf.Tensor2D);
          if (node.bias !== undefined) output = tf.add(output, weight(node.bias));
          break;
      }
      values.set(node.output, output);
    }
  });
  return statistics;
}
