import { SupernasError } from '@supernas/errors';
import * as tf from '@tensorflow/tfjs-core';
import { nodeInputs, nodeWeights } from './export/node-inputs.js';
import type { StaticSubnet } from './types.js';

/**
 * A kernel a backend may register to run a whole static subnet's inference forward in one call
 * (`@supernas/backend-native` compiles it once into oneDNN primitives with pre-reordered,
 * BN-folded weights). Inputs: `x` and every weight as `w:<name>`; attrs: `nodes` (the subnet's
 * node array, by identity, so the backend finds its compiled plan again). Output: the logits. A
 * backend that cannot compile a graph throws a `SupernasError` with code
 * `static_subnet_unsupported` and the graph then runs op by op, with the same result.
 */
export const staticSubnetKernelName = 'SupernasStaticSubnet';

const declined = new WeakSet<object>();
const weightNamesOf = new WeakMap<object, string[] | undefined>();

/** The weights the graph reads, or undefined when a node reads a value no earlier node made. */
function graphWeights(subnet: StaticSubnet): string[] | undefined {
  if (weightNamesOf.has(subnet.nodes)) return weightNamesOf.get(subnet.nodes);
  const made = new Set(['input']);
  const names = new Set<string>();
  let wellFormed = true;
  for (const node of subnet.nodes) {
    if (!nodeInputs(node).every((input) => made.has(input))) wellFormed = false;
    for (const name of nodeWeights(node)) names.add(name);
    made.add(node.output);
  }
  const result = wellFormed && made.has('logits') ? [...names] : undefined;
  weightNamesOf.set(subnet.nodes, result);
  return result;
}

/**
 * The logits through the active backend's `SupernasStaticSubnet` kernel, or undefined where
 * there is none, or gradients are being recorded (the kernel has none), or the graph is not
 * one it runs: the caller then runs it op by op, which also reports any problem with the graph.
 */
export function runStaticSubnetKernel(
  subnet: StaticSubnet,
  x: tf.Tensor4D,
): tf.Tensor2D | undefined {
  if (tf.getKernel(staticSubnetKernelName, tf.getBackend()) === undefined) return undefined;
  if (declined.has(subnet.nodes) || tf.engine().isTapeOn()) return undefined;
  const names = graphWeights(subnet);
  if (names === undefined) return undefined;
  const inputs: tf.NamedTensorMap = { x };
  for (const name of names) {
    const tensor = subnet.weights.get(name);
    if (tensor === undefined || tensor.isDisposed) return undefined;
    inputs[`w:${name}`] = tensor;
  }
  try {
    const attrs = { nodes: subnet.nodes } as unknown as tf.NamedAttrMap;
    return tf.engine().runKernel(staticSubnetKernelName, inputs, attrs) as tf.Tensor2D;
  } catch (error) {
    if (!(SupernasError.isInstance(error) && error.code === 'static_subnet_unsupported'))
      throw error;
    declined.add(subnet.nodes);
    return undefined;
  }
}
