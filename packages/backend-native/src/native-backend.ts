import { totalmem } from 'node:os';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { backend_util, DataId, DataType } from '@tensorflow/tfjs-core';
import { FloatBufferPool } from './buffer-pool.js';
import { InferencePlanCache } from './infer/inference-plan-cache.js';
import type { NativeAddon } from './native-addon.js';

/**
 * The most the output-array pool holds by default: half the memory. Below that it holds as much
 * as the backend's arrays have held at once: a training step frees and reallocates its whole
 * working set (about 1 GB for the tiny space at batch 64, 8 GB for the attentivenas space at
 * batch 16 and 192 px), and any of it that does not fit is allocated afresh every step.
 */
export const defaultPoolLimitBytes = Math.floor(totalmem() / 2);

/**
 * The cpu backend's storage (one TypedArray per tensor) under its own name, so the cpu backend
 * stays the untouched reference and the native one is picked with `tf.setBackend('native')`.
 *
 * Output arrays of native kernels are recycled when tfjs disposes their tensor, unless they may
 * be referenced elsewhere: read by user code (`dataSync()` returns the backend's own array),
 * or handed to a cpu kernel, which may keep a view of it (contiguous `slice` does).
 */
export class NativeBackend extends MathBackendCPU {
  private readonly pool: FloatBufferPool;
  /** Arrays this backend allocated that nothing outside its kernels has seen. */
  private readonly private = new WeakSet<Float32Array>();
  private plans: InferencePlanCache | undefined;

  /** `poolBytes`: a fixed budget for the pool; by default it follows use (see above). */
  constructor(poolBytes?: number) {
    super();
    this.pool = new FloatBufferPool(poolBytes ?? { limit: defaultPoolLimitBytes });
    // The cpu backend's first-use hint ("install tfjs-node") does not apply to this backend.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /** A Float32Array for a kernel output; its contents are arbitrary, the kernel fills it all. */
  allocate(length: number): Float32Array {
    const array = this.pool.take(length);
    this.private.add(array);
    return array;
  }

  /** The values may now be referenced from outside: never recycle them. */
  share(dataId: DataId): void {
    const values = this.data.get(dataId)?.values;
    if (values instanceof Float32Array && this.private.delete(values)) this.pool.forget(values);
  }

  /** Compiled inference plans (`SupernasStaticSubnet`), released with their weights. */
  inferencePlans(addon: NativeAddon): InferencePlanCache {
    this.plans ??= new InferencePlanCache((handle) => addon.inferPlanRelease(handle));
    return this.plans;
  }

  /** Bytes held for reuse. */
  get pooledBytes(): number {
    return this.pool.bytes;
  }

  /**
   * The output-buffer pool's counters: bytes held for reuse, its budget now, the most bytes the
   * backend's arrays held at once, and the bytes of all buffers allocated afresh so far.
   */
  get poolStats(): {
    pooledBytes: number;
    maxBytes: number;
    peakBytesInUse: number;
    allocatedBytes: number;
  } {
    const { pool } = this;
    return {
      pooledBytes: pool.bytes,
      maxBytes: pool.maxBytes,
      peakBytesInUse: pool.peakBytesInUse,
      allocatedBytes: pool.allocatedBytes,
    };
  }

  /** Drops the arrays held for reuse (they are then garbage collected). */
  releasePool(): void {
    this.pool.clear();
    this.plans?.clear();
  }

  override readSync(dataId: DataId): backend_util.BackendValues {
    this.share(dataId);
    return super.readSync(dataId);
  }

  override read(dataId: DataId): Promise<backend_util.BackendValues> {
    this.share(dataId);
    return super.read(dataId);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.get(dataId)?.values;
    const released = super.disposeData(dataId, force);
    if (released) this.plans?.forget(dataId);
    if (released && values instanceof Float32Array && this.private.has(values)) {
      this.private.delete(values);
      this.pool.give(values);
    }
    return released;
  }

  override move(
    dataId: DataId,
    values: backend_util.BackendValues,
    shape: number[],
    dtype: DataType,
    refCount: number,
  ): void {
    this.plans?.forget(dataId);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override dispose(): void {
    this.pool.clear();
    this.plans?.clear();
    super.dispose();
  }
}
