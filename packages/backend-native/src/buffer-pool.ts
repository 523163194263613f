/**
 * Recycles Float32Arrays by exact length. A freshly allocated large array costs page faults and
 * zeroing, often more than the op that fills it; tensors are freed deterministically by tfjs'
 * dispose (not by GC), so handing their arrays to the next op of the same size avoids both.
 * Holds at most `maxBytes`, dropping the oldest arrays first (they are then garbage collected).
 */
export class FloatBufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  /** Every pooled array in the order it was given back (a Set keeps insertion order). */
  private readonly age = new Set<Float32Array>();
  private pooledBytes = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes currently held for reuse. */
  get bytes(): number {
    return this.pooledBytes;
  }

  /** An array of `length` floats with arbitrary contents. */
  take(length: number): Float32Array {
    const reused = this.free.get(length)?.pop();
    if (reused === undefined) return new Float32Array(length);
    this.age.delete(reused);
    this.pooledBytes -= reused.byteLength;
    return reused;
  }

  /** Hands back an array nothing else references any more. */
  give(array: Float32Array): void {
    // Views share their buffer with something else: never reuse them.
    if (array.byteOffset !== 0 || array.byteLength !== array.buffer.byteLength) return;
    if (array.byteLength > this.maxBytes || this.age.has(array)) return;
    let stack = this.free.get(array.length);
    if (stack === undefined) {
      stack = [];
      this.free.set(array.length, stack);
    }
    stack.push(array);
    this.age.add(array);
    this.pooledBytes += array.byteLength;
    for (const oldest of this.age) {
      if (this.pooledBytes <= this.maxBytes) break;
      const oldestStack = this.free.get(oldest.length) ?? [];
      oldestStack.splice(oldestStack.indexOf(oldest), 1);
      if (oldestStack.length === 0) this.free.delete(oldest.length);
      this.age.delete(oldest);
      this.pooledBytes -= oldest.byteLength;
    }
  }

  clear(): void {
    this.free.clear();
    this.age.clear();
    this.pooledBytes = 0;
  }
}
