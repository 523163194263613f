import { describe, expect, it } from 'vitest';
import { crc32, crc32Hex } from './crc32.js';

describe('crc32', () => {
  it('matches the standard check value of the IEEE polynomial', () => {
    // "123456789" -> 0xCBF43926 is the published check value of CRC-32/ISO-HDLC.
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('is zero for no bytes and changes when one bit flips', () => {
    expect(crc32(new Uint8Array(0))).toBe(0);
    const bytes = new Uint8Array(1024).map((_, index) => index * 7);
    const before = crc32(bytes);
    bytes[512] = (bytes[512] as number) ^ 1;
    expect(crc32(bytes)).not.toBe(before);
  });
});

describe('crc32Hex', () => {
  it('pads to eight hex digits', () => {
    expect(crc32Hex(new Uint8Array(0))).toBe('00000000');
    expect(crc32Hex(new TextEncoder().encode('123456789'))).toBe('cbf43926');
  });
});
