import { createRng, tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import type { StaticNode, StaticSubnet } from '../../types.js';

/**
 * A hand-built subnet with every node kind: regular, depthwise, 1x1 and strided convs with and
 * without bias, foldable and unfoldable batchNorms, all six activations, an SE block, a pooled
 * shortcut on an odd size, add, flatten and dense. Input [N, 7, 7, 3], 5 classes. The shortcut
 * pools as the reference does (`padded`: one zero each side, counted in the average) or with
 * PyTorch's ceil mode (`ceil`).
 */
export function fixtureSubnet(seed = 1, shortcutPool: 'padded' | 'ceil' = 'padded'): StaticSubnet {
  const rng = createRng(seed);
  const weights = new Map<string, tf.Tensor>();
  const random = (name: string, shape: number[], scale: number, offset = 0): string => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: size }, () => offset + scale * rng.normal());
    weights.set(name, tf.tensor(values, shape));
    return name;
  };
  const conv = (
    name: string,
    input: string,
    kernelSize: number,
    inputChannels: number,
    outputChannels: number,
    stride: number,
    options: { depthwise?: boolean; bias?: boolean } = {},
  ): StaticNode => {
    const depthwise = options.depthwise ?? false;
    const shape = depthwise
      ? [kernelSize, kernelSize, inputChannels, 1]
      : [kernelSize, kernelSize, inputChannels, outputChannels];
    const fanIn = kernelSize * kernelSize * (depthwise ? 1 : inputChannels);
    return {
      kind: 'conv2d',
      input,
      output: name,
      weight: random(`${name}.weight`, shape, Math.sqrt(2 / fanIn)),
      ...(options.bias === true ? { bias: random(`${name}.bias`, [outputChannels], 0.1) } : {}),
      kernelSize,
      stride,
      depthwise,
      padding: kernelSize >> 1,
    };
  };
  const batchNorm = (name: string, input: string, channels: number): StaticNode => {
    const variance = Float32Array.from({ length: channels }, () => 0.5 + rng.next());
    weights.set(`${name}.running_var`, tf.tensor1d(variance));
    return {
      kind: 'batchNorm',
      input,
      output: name,
      gamma: random(`${name}.weight`, [channels], 0.2, 1),
      beta: random(`${name}.bias`, [channels], 0.1),
      mean: random(`${name}.running_mean`, [channels], 0.1),
      variance: `${name}.running_var`,
      epsilon: 1e-5,
    };
  };
  const activation = (
    name: string,
    input: string,
    kind: Extract<StaticNode, { kind: 'activation' }>['activation'],
  ): StaticNode => ({ kind: 'activation', input, output: name, activation: kind });

  const nodes: StaticNode[] = [
    conv('stem.conv', 'input', 3, 3, 8, 1),
    batchNorm('stem.bn', 'stem.conv', 8),
    activation('stem.act', 'stem.bn', 'swish'),
    conv('b0.dw', 'stem.act', 5, 8, 8, 2, { depthwise: true }),
    batchNorm('b0.dw.bn', 'b0.dw', 8),
    activation('b0.dw.act', 'b0.dw.bn', 'h_swish'),
    { kind: 'globalAvgPool', input: 'b0.dw.act', output: 'b0.se.pool' },
    conv('b0.se.reduce', 'b0.se.pool', 1, 8, 4, 1, { bias: true }),
    activation('b0.se.relu', 'b0.se.reduce', 'relu'),
    conv('b0.se.expand', 'b0.se.relu', 1, 4, 8, 1, { bias: true }),
    activation('b0.se.gate', 'b0.se.expand', 'h_sigmoid'),
    { kind: 'multiply', inputs: ['b0.dw.act', 'b0.se.gate'], output: 'b0.se.out' },
    conv('b0.project', 'b0.se.out', 1, 8, 12, 1),
    batchNorm('b0.project.bn', 'b0.project', 12),
    shortcutPool === 'padded'
      ? {
          kind: 'avgPool',
          input: 'stem.act',
          output: 'b0.shortcut.pool',
          size: 2,
          stride: 2,
          ceilMode: false,
          padding: 1,
        }
      : {
          kind: 'avgPool',
          input: 'stem.act',
          output: 'b0.shortcut.pool',
          size: 2,
          stride: 2,
          ceilMode: true,
        },
    conv('b0.shortcut.conv', 'b0.shortcut.pool', 1, 8, 12, 1),
    batchNorm('b0.shortcut.bn', 'b0.shortcut.conv', 12),
    { kind: 'add', inputs: ['b0.project.bn', 'b0.shortcut.bn'], output: 'b0.out' },
    batchNorm('b0.out.bn', 'b0.out', 12),
    conv('head.conv', 'b0.out.bn', 3, 12, 16, 1, { bias: true }),
    batchNorm('head.bn', 'head.conv', 16),
    // head.conv feeds both the BN and the sum, so that BN must not be folded.
    { kind: 'add', inputs: ['head.bn', 'head.conv'], output: 'head.sum' },
    activation('head.act', 'head.sum', 'relu6'),
    { kind: 'globalAvgPool', input: 'head.act', output: 'head.pool' },
    conv('head.feature', 'head.pool', 1, 16, 20, 1, { bias: true }),
    activation('head.gate', 'head.feature', 'sigmoid'),
    { kind: 'flatten', input: 'head.gate', output: 'head.flat' },
    {
      kind: 'dense',
      input: 'head.flat',
      output: 'logits',
      weight: random('classifier.weight', [20, 5], Math.sqrt(1 / 20)),
      bias: random('classifier.bias', [5], 0.1),
    },
  ];
  return {
    format: 'supernas-subnet',
    formatVersion: 1,
    space: tinySpace,
    arch: {
      resolution: 7,
      width: [8, 8, 16, 24, 40, 128],
      depth: [1, 1, 1, 1],
      kernelSize: [3, 3, 3, 3],
      expandRatio: [1, 3, 3, 4],
    },
    numClasses: 5,
    inputChannels: 3,
    nodes,
    weights,
  };
}
