import type { StaticNode, StaticSubnet } from '../types.js';

/** What a static subnet costs, read off its nodes and weight shapes alone. */
export interface StaticSubnetCost {
  /** Multiply-adds of its convs and dense layers for one image (no biases, BN, pools). */
  readonly flops: number;
  /** Trainable weights it holds: every weight but the BN running statistics. */
  readonly params: number;
  /**
   * Weights of the 1x1 shortcut convs the reference extracts into blocks that never run them
   * (identity and pool-only shortcuts): input channels x output channels per such block.
   */
  readonly idleShortcutParams: number;
}

interface FeatureMap {
  readonly size: number;
  readonly channels: number;
}

function outputSide(size: number, window: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - window) / stride) + 1;
}

/**
 * Walks `subnet`'s graph, tracking each tensor's side and channels, and counts FLOPs the way
 * the reference counter does (conv and linear layers only, a depthwise conv k^2 per channel and
 * output pixel). It reads no layer rule, so tests can hold the rulebook against it.
 */
export function staticSubnetCost(subnet: StaticSubnet): StaticSubnetCost {
  const shapeOf = (name: string): readonly number[] => {
    const weight = subnet.weights.get(name);
    if (weight === undefined) throw new Error(`staticSubnetCost: no weight ${name}`);
    return weight.shape;
  };
  const maps = new Map<string, FeatureMap>([
    ['input', { size: subnet.arch.resolution, channels: subnet.inputChannels }],
  ]);
  const read = (name: string): FeatureMap => {
    const map = maps.get(name);
    if (map === undefined) throw new Error(`staticSubnetCost: ${name} is not produced before use`);
    return map;
  };
  const convOutputs = new Set<string>();
  const statistics = new Set<string>();
  let flops = 0;
  let idleShortcutParams = 0;
  for (const node of subnet.nodes as StaticNode[]) {
    switch (node.kind) {
      case 'conv2d': {
        const [kernelHeight, kernelWidth, inChannels, outChannels] = shapeOf(node.weight) as [
          number,
          number,
          number,
          number,
        ];
        const input = read(node.input);
        const size = outputSide(input.size, node.kernelSize, node.stride, node.padding);
        const channels = node.depthwise ? inChannels : outChannels;
        flops +=
          kernelHeight * kernelWidth * inChannels * (node.depthwise ? 1 : outChannels) * size ** 2;
        maps.set(node.output, { size, channels });
        convOutputs.add(node.output);
        break;
      }
      case 'dense': {
        const [inFeatures, outFeatures] = shapeOf(node.weight) as [number, number];
        flops += inFeatures * outFeatures;
        maps.set(node.output, { size: 1, channels: outFeatures });
        break;
      }
      case 'batchNorm':
        statistics.add(node.mean);
        statistics.add(node.variance);
        maps.set(node.output, read(node.input));
        break;
      case 'activation':
        maps.set(node.output, read(node.input));
        break;
      case 'globalAvgPool':
      case 'flatten':
        maps.set(node.output, { size: 1, channels: read(node.input).channels });
        break;
      case 'avgPool': {
        const input = read(node.input);
        const size = outputSide(input.size, node.size, node.stride, node.padding ?? 0);
        maps.set(node.output, { size, channels: input.channels });
        break;
      }
      case 'multiply':
        maps.set(node.output, read(node.inputs[0]));
        break;
      case 'add': {
        const [main, residual] = node.inputs;
        const output = read(main);
        const shortcut = read(residual);
        if (output.size !== shortcut.size || output.channels !== shortcut.channels) {
          throw new Error(
            `staticSubnetCost: ${node.output} adds ${main} and ${residual} of other shapes`,
          );
        }
        // A residual that no conv produced is the block input, pooled or not: same width.
        if (!convOutputs.has(residual)) idleShortcutParams += shortcut.channels * output.channels;
        maps.set(node.output, output);
        break;
      }
    }
  }
  let params = 0;
  for (const [name, weight] of subnet.weights) if (!statistics.has(name)) params += weight.size;
  return { flops, params, idleShortcutParams };
}
