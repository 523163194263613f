import type { Collective } from '../collective.js';
import { CollectiveStateError } from '../errors.js';

export interface TensorEntry {
  readonly name: string;
  readonly size: number;
}

/** FNV-1a over `name:size;` for every entry: equal on two ranks when their layouts are. */
function fingerprint(entries: readonly TensorEntry[]): number {
  let hash = 0x811c9dc5;
  for (const { name, size } of entries) {
    const text = `${name}:${size};`;
    for (let index = 0; index < text.length; index++) {
      hash ^= text.charCodeAt(index);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return hash;
}

/**
 * Checks that every rank is about to reduce the same tensors (names and sizes, in the same
 * order); one small allgather. Without it, ranks out of step would reduce unrelated buffers
 * silently, or wait forever on buffers of different lengths.
 */
export async function checkSameLayout(
  operation: string,
  entries: readonly TensorEntry[],
  collective: Collective,
): Promise<void> {
  if (collective.size === 1) return;
  const total = entries.reduce((sum, entry) => sum + entry.size, 0);
  const gathered = await collective.allgather(
    new Float64Array([fingerprint(entries), entries.length, total]),
  );
  const differing: string[] = [];
  for (let peer = 1; peer < collective.size; peer++) {
    const [hash, count, elements] = gathered.subarray(peer * 3, peer * 3 + 3);
    if (hash !== gathered[0] || count !== gathered[1] || elements !== gathered[2])
      differing.push(`rank ${peer} has ${count} tensors of ${elements} elements`);
  }
  if (differing.length > 0)
    throw new CollectiveStateError(
      `${operation}: the ranks hold different tensors (rank 0 has ${gathered[1]} tensors of ${gathered[2]} elements; ${differing.join(', ')}); every rank must reduce the same names and shapes in the same step`,
    );
}

/** Consecutive runs of entries of at most `bucketElements` each (a larger entry gets its own). */
export function planBuckets<T extends TensorEntry>(
  entries: readonly T[],
  bucketElements: number,
): T[][] {
  const buckets: T[][] = [];
  let current: T[] = [];
  let filled = 0;
  for (const entry of entries) {
    if (current.length > 0 && filled + entry.size > bucketElements) {
      buckets.push(current);
      current = [];
      filled = 0;
    }
    current.push(entry);
    filled += entry.size;
  }
  if (current.length > 0) buckets.push(current);
  return buckets;
}
