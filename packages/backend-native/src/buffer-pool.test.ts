import { describe, expect, it } from 'vitest';
import { capacityFor, FloatBufferPool } from './buffer-pool.js';

describe('capacityFor', () => {
  it('keeps small lengths exact and rounds larger ones up by at most an eighth', () => {
    expect(capacityFor(1)).toBe(1);
    expect(capacityFor(4096)).toBe(4096);
    expect(capacityFor(4097)).toBe(4608);
    expect(capacityFor(5000)).toBe(5120);
    expect(capacityFor(8192)).toBe(8192);
    for (let length = 4097; length < 3_000_000; length = Math.ceil(length * 1.07)) {
      const capacity = capacityFor(length);
      expect(capacity).toBeGreaterThanOrEqual(length);
      expect(capacity).toBeLessThanOrEqual(length * 1.125);
      expect(capacityFor(capacity)).toBe(capacity);
    }
  });
});

describe('FloatBufferPool', () => {
  it('hands a returned buffer to the next array that fits it and a new one otherwise', () => {
    const pool = new FloatBufferPool(1 << 20);
    const first = pool.take(16);
    expect(first.length).toBe(16);
    pool.give(first);
    expect(pool.bytes).toBe(64);
    expect(pool.take(32).buffer).not.toBe(first.buffer);
    const again = pool.take(16);
    expect(again.buffer).toBe(first.buffer);
    expect(pool.bytes).toBe(0);
    expect(pool.take(16).buffer).not.toBe(first.buffer);
    expect(pool.allocatedBytes).toBe(64 + 128 + 64);
    pool.give(again);
    // Small lengths are classes of their own, down to two thirds of a buffer.
    expect(pool.take(11).buffer).toBe(first.buffer);
  });

  it('serves a request from the smallest free buffer up to half again as large', () => {
    const pool = new FloatBufferPool(1 << 26);
    const small = pool.take(5000);
    const large = pool.take(7000);
    const huge = pool.take(20000);
    expect(small.buffer.byteLength).toBe(5120 * 4);
    for (const array of [huge, large, small]) pool.give(array);
    const first = pool.take(4700);
    expect(first.buffer).toBe(small.buffer);
    expect(first.length).toBe(4700);
    expect(first.byteOffset).toBe(0);
    const second = pool.take(4700);
    expect(second.buffer).toBe(large.buffer);
    // 20,480 floats are more than half again as many as 4,608: a new buffer.
    expect(pool.take(4700).buffer).not.toBe(huge.buffer);
    expect(pool.bytes).toBe(huge.buffer.byteLength);
  });

  it('drops the oldest buffers once over its byte budget', () => {
    const pool = new FloatBufferPool(100);
    const [old, middle, recent] = [pool.take(10), pool.take(10), pool.take(10)];
    pool.give(old);
    pool.give(middle);
    pool.give(recent);
    expect(pool.bytes).toBe(80);
    expect(pool.take(10).buffer).toBe(recent.buffer);
    expect(pool.take(10).buffer).toBe(middle.buffer);
    expect(pool.take(10).buffer).not.toBe(old.buffer);
  });

  it('takes back only arrays it made, once, and not over its budget', () => {
    const pool = new FloatBufferPool(64);
    pool.give(new Float32Array(8));
    const made = pool.take(8);
    pool.give(new Float32Array(made.buffer, 16, 4));
    pool.give(pool.take(32));
    expect(pool.bytes).toBe(0);
    pool.give(made);
    pool.give(made);
    expect(pool.bytes).toBe(32);
    expect(pool.take(8).buffer).toBe(made.buffer);
    expect(pool.take(8).buffer).not.toBe(made.buffer);
  });

  it('by default holds twice the bytes its arrays held at once, above a floor, within a limit', () => {
    const pool = new FloatBufferPool({ limit: 3000, floor: 100 });
    expect(pool.maxBytes).toBe(100);
    const arrays = [pool.take(100), pool.take(100), pool.take(50)];
    expect(pool.peakBytesInUse).toBe(1000);
    expect(pool.maxBytes).toBe(2000);
    for (const array of arrays) pool.give(array);
    expect(pool.bytes).toBe(1000);
    const more = [pool.take(200), pool.take(200)];
    expect(pool.peakBytesInUse).toBe(1600);
    expect(pool.maxBytes).toBe(3000);
    // An array that is never given back leaves the bytes in use, not the peak.
    pool.forget(more[0]!);
    pool.give(more[1]!);
    expect(pool.peakBytesInUse).toBe(1600);
    expect(pool.take(200).buffer).toBe(more[1]!.buffer);
    expect(pool.peakBytesInUse).toBe(1600);
  });

  it('empties on clear', () => {
    const pool = new FloatBufferPool(1024);
    const array = pool.take(4);
    pool.give(array);
    pool.clear();
    expect(pool.bytes).toBe(0);
    expect(pool.take(4).buffer).not.toBe(array.buffer);
  });
});
