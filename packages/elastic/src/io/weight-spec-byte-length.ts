import type * as tf from '@tensorflow/tfjs-core';

const bytesPerElement: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };
const bytesPerQuantized: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

/** Bytes one manifest entry occupies in the weight data, as tfjs' `decodeWeights` reads them. */
export function weightSpecByteLength(spec: tf.io.WeightsManifestEntry): number {
  const size = spec.shape.reduce((product, dimension) => product * dimension, 1);
  const quantizedType = spec.quantization?.dtype;
  const perElement =
    quantizedType !== undefined ? bytesPerQuantized[quantizedType] : bytesPerElement[spec.dtype];
  if (perElement === undefined) {
    throw new Error(
      `weightSpecByteLength: weight '${spec.name}' has dtype '${quantizedType ?? spec.dtype}', expected one of ${Object.keys(bytesPerElement).join(', ')}`,
    );
  }
  return size * perElement;
}

/** Total bytes of a list of manifest entries. */
export function weightSpecsByteLength(specs: readonly tf.io.WeightsManifestEntry[]): number {
  return specs.reduce((total, spec) => total + weightSpecByteLength(spec), 0);
}
