import type { DataId, TensorInfo } from '@tensorflow/tfjs-core';
import { floatValues, type NativeKernel } from '../kernels/native-kernel.js';
import type { InferenceNode, InferenceWeight } from './inference-graph.js';
import { lowerInferenceGraph, StaticSubnetUnsupportedError } from './lower-inference-graph.js';

/**
 * `SupernasStaticSubnet`: a whole static subnet's inference forward in one kernel. Inputs: the
 * images as `x` ([N, H, W, C] float32) and every weight the graph reads as `w:<name>`; attrs:
 * `nodes`, the graph (`@supernas/elastic`'s `StaticNode[]`, the same array on every call so the
 * compiled plan is found again). Output: the `logits` tensor. Throws
 * `StaticSubnetUnsupportedError` (code `static_subnet_unsupported`), before allocating anything,
 * for a graph it does not compile; the caller then runs the graph op by op.
 */
export const staticSubnetKernelName = 'SupernasStaticSubnet';

export const weightInputPrefix = 'w:';

function shapeKey(shape: readonly number[]): string {
  return shape.join('x');
}

export const staticSubnetKernel: NativeKernel = {
  kernelName: staticSubnetKernelName,
  run: ({ inputs, attrs, backend, addon }) => {
    const { x } = inputs;
    const nodes = attrs.nodes as unknown as readonly InferenceNode[] | undefined;
    if (x === undefined || !Array.isArray(nodes))
      throw new StaticSubnetUnsupportedError('expected an input x and attrs.nodes');
    const input = floatValues(backend, x);
    if (input === undefined)
      throw new StaticSubnetUnsupportedError(
        `input of dtype ${x.dtype} and shape ${shapeKey(x.shape)}`,
      );
    const weightInputs = Object.entries(inputs).filter(([key]) =>
      key.startsWith(weightInputPrefix),
    );
    const weightIds: DataId[] = weightInputs.map(([, tensor]) => (tensor as TensorInfo).dataId);
    const plans = backend.inferencePlans(addon);
    let plan = plans.find(nodes, weightIds, x.shape);
    if (plan === undefined) {
      const weights = new Map<string, InferenceWeight>();
      for (const [key, tensor] of weightInputs) {
        const values = floatValues(backend, tensor as TensorInfo);
        if (values === undefined)
          throw new StaticSubnetUnsupportedError(
            `weight ${key.slice(weightInputPrefix.length)} is not float32`,
          );
        weights.set(key.slice(weightInputPrefix.length), {
          values,
          shape: (tensor as TensorInfo).shape,
        });
      }
      const spec = lowerInferenceGraph(nodes, weights, x.shape);
      plan = {
        handle: addon.inferPlanCreate(spec),
        weightIds,
        inputShape: [...x.shape],
        outputShape: spec.outputShape,
        outputSize: spec.outputSize,
      };
      plans.add(nodes, plan);
    }
    const output = backend.allocate(plan.outputSize);
    if (!addon.inferPlanRun(plan.handle, input, output)) {
      // Built for another thread count (enableNativeBackend({ threads }) since): build it anew.
      plans.drop(plan);
      return staticSubnetKernel.run({ inputs, attrs, backend, addon });
    }
    return backend.makeTensorInfo([...plan.outputShape], 'float32', output);
  },
};
