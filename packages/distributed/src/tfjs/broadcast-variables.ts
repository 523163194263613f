import * as tf from '@tensorflow/tfjs-core';
import type { Collective } from '../collective.js';
import { InvalidCollectiveArgumentError } from '../errors.js';
import { checkBucketBytes, defaultBucketBytes } from './allreduce-gradients.js';
import { checkSameLayout, planBuckets } from './layout.js';

export interface BroadcastVariablesOptions {
  /** Bytes per broadcast (default 4 MiB). */
  readonly bucketBytes?: number;
  /** One small allgather first that checks every rank holds the same variables (default true). */
  readonly checkLayout?: boolean;
}

/**
 * Overwrites every rank's float32 variables with the root rank's, so all ranks start from the
 * same weights (a fresh supernet whose initialisation is not seeded alike, or a checkpoint that
 * only the root read). Variables go in name order, packed into flat buckets.
 */
export async function broadcastVariables(
  variables: ReadonlyMap<string, tf.Variable> | Readonly<Record<string, tf.Variable>>,
  collective: Collective,
  root = 0,
  options: BroadcastVariablesOptions = {},
): Promise<void> {
  const bucketElements = checkBucketBytes(
    'broadcastVariables',
    options.bucketBytes ?? defaultBucketBytes,
  );
  const named: Array<[string, tf.Variable]> =
    variables instanceof Map ? [...variables] : Object.entries(variables);
  const entries = named
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, variable]) => {
      if (variable.dtype !== 'float32')
        throw new InvalidCollectiveArgumentError(
          'broadcastVariables',
          `variables['${name}']`,
          variable.dtype,
          'a float32 variable',
        );
      return { name, size: variable.size, variable };
    });
  if (options.checkLayout ?? true) await checkSameLayout('broadcastVariables', entries, collective);
  for (const bucket of planBuckets(entries, bucketElements)) {
    const flat = new Float32Array(bucket.reduce((sum, entry) => sum + entry.size, 0));
    if (collective.rank === root) {
      let offset = 0;
      for (const entry of bucket) {
        flat.set((await entry.variable.data()) as Float32Array, offset);
        offset += entry.size;
      }
    }
    await collective.broadcast(flat, root);
    if (collective.rank === root) continue;
    let offset = 0;
    for (const entry of bucket) {
      const value = tf.tensor(flat.slice(offset, offset + entry.size), entry.variable.shape);
      entry.variable.assign(value);
      value.dispose();
      offset += entry.size;
    }
  }
}
