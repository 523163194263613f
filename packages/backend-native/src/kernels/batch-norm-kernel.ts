import { FusedBatchNorm, type FusedBatchNormAttrs } from '@tensorflow/tfjs-core';
import { floatValues, type NativeKernel } from './native-kernel.js';

/**
 * tfjs' FusedBatchNorm (`tf.batchNorm`) over the last axis. The cpu kernel indexes each
 * parameter modulo its length, which is per-channel only for lengths 1 and C; other lengths go
 * to the cpu kernel.
 */
export const batchNormKernel: NativeKernel = {
  kernelName: FusedBatchNorm,
  run: ({ inputs, backend, attrs, addon }) => {
    const { x, mean, variance, offset, scale } = inputs;
    if (x === undefined || mean === undefined || variance === undefined) return undefined;
    const channels = x.shape[x.shape.length - 1];
    const xValues = floatValues(backend, x);
    if (xValues === undefined || channels === undefined) return undefined;
    const parameters: (Float32Array | null)[] = [];
    for (const parameter of [mean, variance, offset, scale]) {
      if (parameter === undefined) {
        parameters.push(null);
        continue;
      }
      const values = floatValues(backend, parameter);
      if (values === undefined || (values.length !== 1 && values.length !== channels)) {
        return undefined;
      }
      parameters.push(values);
    }
    const [meanValues, varianceValues, offsetValues, scaleValues] = parameters;
    if (!meanValues || !varianceValues) return undefined;
    const epsilon = (attrs as unknown as FusedBatchNormAttrs).varianceEpsilon ?? 0.001;
    const out = backend.allocate(xValues.length);
    addon.batchNorm(
      xValues,
      channels,
      meanValues,
      varianceValues,
      offsetValues ?? null,
      scaleValues ?? null,
      epsilon,
      out,
    );
    return backend.makeTensorInfo([...x.shape], 'float32', out);
  },
};
