import * as tf from '@tensorflow/tfjs-core';
import type { Collective, ReduceOp } from '../collective.js';
import { InvalidCollectiveArgumentError } from '../errors.js';
import { checkSameLayout, planBuckets } from './layout.js';

/**
 * 4 MiB: measured on one host (bench/), 25 MiB buckets (PyTorch DDP's default) made the 96 MB
 * attentivenas gradient 6x slower than 1-4 MiB ones, which stay in cache; across hosts, each
 * bucket also pays the ring's 2 (N-1) latency steps, which argues against going smaller.
 */
export const defaultBucketBytes = 4 * 1024 * 1024;

export interface AllreduceGradientsOptions {
  /** Bytes per allreduce (default 4 MiB); a larger tensor goes alone. */
  readonly bucketBytes?: number;
  /** `mean` (the default) averages the ranks' gradients; `sum` adds them. */
  readonly op?: Extract<ReduceOp, 'mean' | 'sum'>;
  /** One small allgather first that checks every rank reduces the same tensors (default true). */
  readonly checkLayout?: boolean;
}

export function checkBucketBytes(operation: string, bucketBytes: number): number {
  if (!(Number.isInteger(bucketBytes) && bucketBytes >= 4))
    throw new InvalidCollectiveArgumentError(
      operation,
      'bucketBytes',
      bucketBytes,
      'an integer number of bytes >= 4',
    );
  return Math.floor(bucketBytes / 4);
}

/**
 * Averages float32 gradients over every rank of `collective`: tensors, in name order, are copied
 * into flat buckets of `bucketBytes`, each bucket is one allreduce, and the results are split back
 * into new tensors of the same names and shapes (the caller disposes them and the inputs). The
 * next bucket is copied out of tfjs while the previous one is on the wire.
 */
export async function allreduceGradients(
  gradients: tf.NamedTensorMap,
  collective: Collective,
  options: AllreduceGradientsOptions = {},
): Promise<tf.NamedTensorMap> {
  const bucketElements = checkBucketBytes(
    'allreduceGradients',
    options.bucketBytes ?? defaultBucketBytes,
  );
  const op = options.op ?? 'mean';
  const entries = Object.keys(gradients)
    .sort()
    .map((name) => {
      const tensor = gradients[name]!;
      if (tensor.dtype !== 'float32')
        throw new InvalidCollectiveArgumentError(
          'allreduceGradients',
          `gradients['${name}']`,
          tensor.dtype,
          'a float32 tensor',
        );
      return { name, size: tensor.size, tensor };
    });
  if (options.checkLayout ?? true) await checkSameLayout('allreduceGradients', entries, collective);
  const buckets = planBuckets(entries, bucketElements);
  const fill = async (bucket: (typeof entries)[number][]): Promise<Float32Array> => {
    const flat = new Float32Array(bucket.reduce((sum, entry) => sum + entry.size, 0));
    // All reads at once: a GPU backend then downloads them together.
    const values = await Promise.all(bucket.map((entry) => entry.tensor.data()));
    let offset = 0;
    for (const [index, entry] of bucket.entries()) {
      flat.set(values[index] as Float32Array, offset);
      offset += entry.size;
    }
    return flat;
  };
  const result: tf.NamedTensorMap = {};
  let next = buckets.length > 0 ? fill(buckets[0]!) : undefined;
  for (let index = 0; index < buckets.length; index++) {
    const reduced = collective.allreduce(await next!, op);
    next = index + 1 < buckets.length ? fill(buckets[index + 1]!) : undefined;
    const flat = await reduced;
    let offset = 0;
    for (const entry of buckets[index]!) {
      // A copy: tfjs backends may keep the array they are given.
      result[entry.name] = tf.tensor(
        flat.slice(offset, offset + entry.size),
        entry.tensor.shape,
        'float32',
      );
      offset += entry.size;
    }
  }
  return result;
}
