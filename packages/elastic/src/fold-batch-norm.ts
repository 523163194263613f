import * as tf from '@tensorflow/tfjs-core';
import { StaticGraphError } from './errors.js';
import { nodeInputs, nodeWeights } from './export/node-inputs.js';
import type { StaticNode, StaticSubnet } from './types.js';

type ConvNode = Extract<StaticNode, { kind: 'conv2d' }>;
type BatchNormNode = Extract<StaticNode, { kind: 'batchNorm' }>;

/**
 * Folds every batchNorm that directly follows a conv2d (whose output nothing else reads) into
 * that conv's weight and bias: w' = w * gamma / sqrt(var + eps), b' = (b - mean) * gamma /
 * sqrt(var + eps) + beta. Returns a new subnet that owns all its weights (unused BN parameters
 * are dropped); `subnet` is left as it was. Inference results match the unfolded subnet to
 * float32 rounding.
 */
export function foldBatchNorm(subnet: StaticSubnet): StaticSubnet {
  const producers = new Map<string, StaticNode>();
  const readers = new Map<string, number>([['logits', 1]]);
  const weightReaders = new Map<string, number>();
  for (const node of subnet.nodes) {
    for (const input of nodeInputs(node)) readers.set(input, (readers.get(input) ?? 0) + 1);
    for (const weight of nodeWeights(node)) {
      if (!subnet.weights.has(weight)) {
        throw new StaticGraphError(
          node,
          `foldBatchNorm: reads weight '${weight}', which the subnet does not have`,
        );
      }
      weightReaders.set(weight, (weightReaders.get(weight) ?? 0) + 1);
    }
    producers.set(node.output, node);
  }

  const foldInto = new Map<ConvNode, BatchNormNode>();
  const folded = new Set<StaticNode>();
  for (const node of subnet.nodes) {
    if (node.kind !== 'batchNorm') continue;
    const producer = producers.get(node.input);
    if (producer?.kind === 'conv2d' && readers.get(node.input) === 1) {
      foldInto.set(producer, node);
      folded.add(node);
    }
  }

  const taken = new Set(subnet.weights.keys());
  const freshName = (base: string): string => {
    let name = base;
    for (let index = 1; taken.has(name); index++) name = `${base}_${index}`;
    taken.add(name);
    return name;
  };
  const ownedBy = (weight: string | undefined): boolean =>
    weight !== undefined && weightReaders.get(weight) === 1;

  const weights = new Map<string, tf.Tensor>();
  const nodes: StaticNode[] = [];
  try {
    for (const node of subnet.nodes) {
      if (folded.has(node)) continue;
      const batchNorm = node.kind === 'conv2d' ? foldInto.get(node) : undefined;
      if (node.kind !== 'conv2d' || batchNorm === undefined) {
        for (const weight of nodeWeights(node)) {
          if (!weights.has(weight))
            weights.set(weight, tf.clone(subnet.weights.get(weight) as tf.Tensor));
        }
        nodes.push(node);
        continue;
      }
      // A weight another node also reads must keep its value there, so the folded one is renamed.
      const weightName = ownedBy(node.weight) ? node.weight : freshName(`${node.weight}/folded`);
      const biasBase = node.weight.endsWith('weight')
        ? `${node.weight.slice(0, -'weight'.length)}bias`
        : `${node.weight}/bias`;
      const biasName = ownedBy(node.bias) ? (node.bias as string) : freshName(biasBase);
      const [weight, bias] = foldedParameters(subnet.weights, node, batchNorm);
      weights.set(weightName, weight);
      weights.set(biasName, bias);
      nodes.push({ ...node, output: batchNorm.output, weight: weightName, bias: biasName });
    }
  } catch (error) {
    for (const tensor of weights.values()) tensor.dispose();
    throw error;
  }
  return { ...subnet, nodes, weights };
}

function foldedParameters(
  source: ReadonlyMap<string, tf.Tensor>,
  conv: ConvNode,
  batchNorm: BatchNormNode,
): [tf.Tensor, tf.Tensor] {
  const get = (name: string): tf.Tensor => source.get(name) as tf.Tensor;
  return tf.tidy(() => {
    const weight = get(conv.weight);
    const outputChannels = conv.depthwise ? weight.shape[2] : weight.shape[3];
    const gamma = get(batchNorm.gamma);
    if (gamma.size !== outputChannels) {
      throw new StaticGraphError(
        batchNorm,
        `foldBatchNorm: has ${gamma.size} channels, expected ${outputChannels} (the output channels of conv '${conv.output}')`,
      );
    }
    const scale = tf.div(gamma, tf.sqrt(tf.add(get(batchNorm.variance), batchNorm.epsilon)));
    const foldedWeight = tf.mul(weight, conv.depthwise ? tf.reshape(scale, [1, 1, -1, 1]) : scale);
    const centred = tf.sub(
      conv.bias === undefined ? tf.zerosLike(scale) : get(conv.bias),
      get(batchNorm.mean),
    );
    const foldedBias = tf.add(tf.mul(centred, scale), get(batchNorm.beta));
    return [foldedWeight, foldedBias];
  });
}
