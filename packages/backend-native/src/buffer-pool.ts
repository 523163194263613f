/** Lengths up to this many floats (16 KiB) are pooled by their exact length. */
const exactUpTo = 1 << 12;
/** Size classes per power of two above that: a buffer is at most 1/8 larger than asked. */
const classesPerOctave = 8;

/**
 * The buffer length (in floats) an array of `length` floats is carved from: `length` itself up
 * to 4,096 floats, above that the next of eight steps per power of two.
 */
export function capacityFor(length: number): number {
  if (length <= exactUpTo) return length;
  const step = 2 ** Math.floor(Math.log2(length)) / classesPerOctave;
  return Math.ceil(length / step) * step;
}

/** A pooled buffer serves arrays down to this fraction of its size. */
const smallestShare = 2 / 3;

/**
 * Recycles the buffers of Float32Arrays. A freshly allocated large array costs page faults and
 * zeroing, often more than the op that fills it; tensors are freed deterministically by tfjs'
 * dispose (not by GC), so handing their buffers to the next op avoids both. An elastic
 * supernet's subnets all have different layer sizes, so buffers come in size classes
 * (`capacityFor`) and a request takes the smallest free buffer of its class or up to half again
 * as large: kept by exact length, with at most 4 GiB held, an attentivenas training step (batch
 * 16, 192 px) found a buffer for less than half of its outputs and allocated 4.3 GB afresh, a
 * third of its time in page faults. An array is a view of the first `length` floats of its
 * buffer.
 *
 * Holds at most `maxBytes`, dropping the oldest buffers first (they are then garbage
 * collected); by default twice the most bytes its arrays have held at once (a step's working
 * set, which the next step asks for again, plus room for the size classes it does not use),
 * at least 1 GiB, at most a given limit.
 */
export class FloatBufferPool {
  private readonly free = new Map<number, ArrayBuffer[]>();
  /** Capacities with buffers in `free`, ascending. */
  private readonly capacities: number[] = [];
  /** Every pooled buffer in the order it was given back (a Set keeps insertion order). */
  private readonly age = new Set<ArrayBuffer>();
  /** Buffers this pool made: only those come back. */
  private readonly made = new WeakSet<ArrayBuffer>();
  private pooledBytes = 0;
  private liveBytes = 0;
  private peakLiveBytes = 0;
  private madeBytes = 0;

  /**
   * `budget`: a fixed number of bytes, or `{ limit, floor }` for one that follows use (see
   * above; `floor` defaults to 1 GiB).
   */
  constructor(
    private readonly budget: number | { readonly limit: number; readonly floor?: number },
  ) {}

  /** The most bytes the pool holds now. */
  get maxBytes(): number {
    const { budget } = this;
    if (typeof budget === 'number') return budget;
    const floor = budget.floor ?? 2 ** 30;
    return Math.min(budget.limit, Math.max(floor, 2 * this.peakLiveBytes));
  }

  /** Bytes currently held for reuse. */
  get bytes(): number {
    return this.pooledBytes;
  }

  /** The most bytes arrays from `take` have held at once (not yet given back or forgotten). */
  get peakBytesInUse(): number {
    return this.peakLiveBytes;
  }

  /** Bytes of all the buffers it had to allocate (a request nothing free could serve). */
  get allocatedBytes(): number {
    return this.madeBytes;
  }

  /** An array of `length` floats with arbitrary contents. */
  take(length: number): Float32Array {
    const buffer = this.reuse(capacityFor(length)) ?? this.make(capacityFor(length));
    this.liveBytes += buffer.byteLength;
    this.peakLiveBytes = Math.max(this.peakLiveBytes, this.liveBytes);
    return new Float32Array(buffer, 0, length);
  }

  /** An array from `take` will never be given back (something else may reference it). */
  forget(array: Float32Array): void {
    if (this.made.has(array.buffer as ArrayBuffer))
      this.liveBytes = Math.max(0, this.liveBytes - array.buffer.byteLength);
  }

  /**
   * Hands back an array from `take` that nothing references any more. Anything else (another
   * view, an array this pool did not make, one given back already) is left alone.
   */
  give(array: Float32Array): void {
    const buffer = array.buffer as ArrayBuffer;
    if (!this.made.has(buffer) || array.byteOffset !== 0 || this.age.has(buffer)) return;
    this.liveBytes = Math.max(0, this.liveBytes - buffer.byteLength);
    if (buffer.byteLength > this.maxBytes) return;
    const capacity = buffer.byteLength / 4;
    let stack = this.free.get(capacity);
    if (stack === undefined) {
      stack = [];
      this.free.set(capacity, stack);
      this.capacities.splice(this.firstCapacityFrom(capacity), 0, capacity);
    }
    stack.push(buffer);
    this.age.add(buffer);
    this.pooledBytes += buffer.byteLength;
    for (const oldest of this.age) {
      if (this.pooledBytes <= this.maxBytes) break;
      this.remove(oldest);
    }
  }

  /** Drops the pooled buffers (the record of use stays). */
  clear(): void {
    this.free.clear();
    this.capacities.length = 0;
    this.age.clear();
    this.pooledBytes = 0;
  }

  private make(capacity: number): ArrayBuffer {
    const buffer = new ArrayBuffer(capacity * 4);
    this.made.add(buffer);
    this.madeBytes += buffer.byteLength;
    return buffer;
  }

  /** The smallest free buffer of `capacity` floats up to half again as many. */
  private reuse(capacity: number): ArrayBuffer | undefined {
    const index = this.firstCapacityFrom(capacity);
    const candidate = this.capacities[index];
    if (candidate === undefined || capacity < candidate * smallestShare) return undefined;
    const buffer = this.free.get(candidate)!.at(-1)!;
    this.remove(buffer);
    return buffer;
  }

  private remove(buffer: ArrayBuffer): void {
    const capacity = buffer.byteLength / 4;
    const stack = this.free.get(capacity)!;
    stack.splice(stack.lastIndexOf(buffer), 1);
    if (stack.length === 0) {
      this.free.delete(capacity);
      this.capacities.splice(this.firstCapacityFrom(capacity), 1);
    }
    this.age.delete(buffer);
    this.pooledBytes -= buffer.byteLength;
  }

  /** Index of the first capacity in `capacities` that is at least `capacity`. */
  private firstCapacityFrom(capacity: number): number {
    let low = 0;
    let high = this.capacities.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.capacities[middle]! < capacity) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
