import * as tf from '@tensorflow/tfjs-core';
import type { StaticNode, StaticSubnet } from '../../types.js';

type Activation = Extract<StaticNode, { kind: 'activation' }>['activation'];

function activate(x: tf.Tensor, activation: Activation): tf.Tensor {
  const hardSigmoid = (value: tf.Tensor) => tf.div(tf.clipByValue(tf.add(value, 3), 0, 6), 6);
  switch (activation) {
    case 'relu':
      return tf.maximum(x, 0);
    case 'relu6':
      return tf.clipByValue(x, 0, 6);
    case 'sigmoid':
      return tf.div(1, tf.add(1, tf.exp(tf.neg(x))));
    case 'swish':
      return tf.div(x, tf.add(1, tf.exp(tf.neg(x))));
    case 'h_sigmoid':
      return hardSigmoid(x);
    case 'h_swish':
      return tf.mul(x, hardSigmoid(x));
  }
}

function symmetric(padding: number): [number, number][] {
  return [
    [0, 0],
    [padding, padding],
    [padding, padding],
    [0, 0],
  ];
}

/**
 * A deliberately plain interpreter of the static-subnet IR, written from the PyTorch
 * definitions (explicit zero padding then VALID ops, BN by its formula, ceil-mode pooling that
 * averages only the cells inside the input), to check transformed and exported graphs against.
 */
export function referenceRun(subnet: StaticSubnet, input: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const values = new Map<string, tf.Tensor>([['input', input]]);
    const get = (name: string): tf.Tensor => {
      const value = values.get(name) ?? subnet.weights.get(name);
      if (value === undefined) throw new Error(`referenceRun: no tensor '${name}'`);
      return value;
    };
    for (const node of subnet.nodes) {
      let result: tf.Tensor;
      switch (node.kind) {
        case 'conv2d': {
          const padded = tf.pad(get(node.input) as tf.Tensor4D, symmetric(node.padding));
          const weight = get(node.weight) as tf.Tensor4D;
          result = node.depthwise
            ? tf.depthwiseConv2d(padded, weight, node.stride, 'valid')
            : tf.conv2d(padded, weight, node.stride, 'valid');
          if (node.bias !== undefined) result = tf.add(result, get(node.bias));
          break;
        }
        case 'batchNorm': {
          const normalised = tf.div(
            tf.sub(get(node.input), get(node.mean)),
            tf.sqrt(tf.add(get(node.variance), node.epsilon)),
          );
          result = tf.add(tf.mul(normalised, get(node.gamma)), get(node.beta));
          break;
        }
        case 'activation':
          result = activate(get(node.input), node.activation);
          break;
        case 'add':
          result = tf.add(get(node.inputs[0]), get(node.inputs[1]));
          break;
        case 'multiply':
          result = tf.mul(get(node.inputs[0]), get(node.inputs[1]));
          break;
        case 'globalAvgPool':
          result = tf.mean(get(node.input), [1, 2], true);
          break;
        case 'avgPool': {
          // Zero padding counts in the average; ceil mode's partial windows average what they cover.
          const x = tf.pad(get(node.input) as tf.Tensor4D, symmetric(node.padding ?? 0));
          const [, height = 0, width = 0] = x.shape;
          const outputSize = (size: number) =>
            node.ceilMode
              ? Math.ceil((size - node.size) / node.stride) + 1
              : Math.floor((size - node.size) / node.stride) + 1;
          const extra = (size: number) =>
            Math.max(0, (outputSize(size) - 1) * node.stride + node.size - size);
          const padding: [number, number][] = [
            [0, 0],
            [0, extra(height)],
            [0, extra(width)],
            [0, 0],
          ];
          const area = node.size * node.size;
          const sums = tf.mul(
            tf.avgPool(tf.pad(x, padding), node.size, node.stride, 'valid'),
            area,
          );
          const ones = tf.ones([1, height, width, 1]) as tf.Tensor4D;
          const counts = tf.mul(
            tf.avgPool(tf.pad(ones, padding), node.size, node.stride, 'valid'),
            area,
          );
          result = tf.div(sums, counts);
          break;
        }
        case 'flatten':
          result = tf.reshape(get(node.input), [get(node.input).shape[0] ?? -1, -1]);
          break;
        case 'dense':
          result = tf.matMul(get(node.input) as tf.Tensor2D, get(node.weight) as tf.Tensor2D);
          if (node.bias !== undefined) result = tf.add(result, get(node.bias));
          break;
      }
      values.set(node.output, result);
    }
    return get('logits') as tf.Tensor2D;
  });
}
