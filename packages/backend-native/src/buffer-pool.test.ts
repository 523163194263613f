import { describe, expect, it } from 'vitest';
import { FloatBufferPool } from './buffer-pool.js';

describe('FloatBufferPool', () => {
  it('hands back a returned array for the same length and a new one otherwise', () => {
    const pool = new FloatBufferPool(1 << 20);
    const first = pool.take(16);
    pool.give(first);
    expect(pool.bytes).toBe(64);
    expect(pool.take(8)).not.toBe(first);
    expect(pool.take(16)).toBe(first);
    expect(pool.bytes).toBe(0);
    expect(pool.take(16)).not.toBe(first);
  });

  it('drops the oldest arrays once over its byte budget', () => {
    const pool = new FloatBufferPool(100);
    const old = new Float32Array(10);
    const middle = new Float32Array(10);
    const recent = new Float32Array(10);
    pool.give(old);
    pool.give(middle);
    pool.give(recent);
    expect(pool.bytes).toBe(80);
    expect(pool.take(10)).toBe(recent);
    expect(pool.take(10)).toBe(middle);
    expect(pool.take(10)).not.toBe(old);
  });

  it('never pools views, arrays larger than the budget, or the same array twice', () => {
    const pool = new FloatBufferPool(64);
    const backing = new Float32Array(8);
    pool.give(backing.subarray(0, 4));
    pool.give(new Float32Array(32));
    expect(pool.bytes).toBe(0);
    pool.give(backing);
    pool.give(backing);
    expect(pool.bytes).toBe(32);
    expect(pool.take(8)).toBe(backing);
    expect(pool.take(8)).not.toBe(backing);
  });

  it('empties on clear', () => {
    const pool = new FloatBufferPool(1024);
    const array = new Float32Array(4);
    pool.give(array);
    pool.clear();
    expect(pool.bytes).toBe(0);
    expect(pool.take(4)).not.toBe(array);
  });
});
