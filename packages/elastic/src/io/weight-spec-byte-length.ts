import { formatValue } from '@supernas/errors';
import type * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from './checkpoint-error.js';

const bytesPerElement: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };
const bytesPerQuantized: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

/** Bytes one manifest entry occupies in the weight data, as tfjs' `decodeWeights` reads them. */
export function weightSpecByteLength(spec: tf.io.WeightsManifestEntry): number {
  const size = spec.shape.reduce((product, dimension) => product * dimension, 1);
  const quantizedType = spec.quantization?.dtype;
  const perElement =
    quantizedType !== undefined ? bytesPerQuantized[quantizedType] : bytesPerElement[spec.dtype];
  if (perElement === undefined) {
    const dtype = quantizedType ?? spec.dtype;
    const known = Object.keys(quantizedType !== undefined ? bytesPerQuantized : bytesPerElement);
    throw new CheckpointError(
      `weightSpecByteLength: weight '${spec.name}' has dtype ${formatValue(dtype)}, expected one of ${known.join(', ')}`,
      dtype,
      known,
    );
  }
  return size * perElement;
}

/** Total bytes of a list of manifest entries. */
export function weightSpecsByteLength(specs: readonly tf.io.WeightsManifestEntry[]): number {
  return specs.reduce((total, spec) => total + weightSpecByteLength(spec), 0);
}
