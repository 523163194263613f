import { describe, expect, it } from 'vitest';
import { signedLeb128, unsignedLeb128, WasmFunctionBuilder } from './wasm-function-builder.js';
import { encodeModule } from './wasm-module.js';

describe('unsignedLeb128', () => {
  it('encodes seven bits per byte, low bits first', () => {
    expect(unsignedLeb128(0)).toEqual([0]);
    expect(unsignedLeb128(127)).toEqual([0x7f]);
    expect(unsignedLeb128(128)).toEqual([0x80, 0x01]);
    expect(unsignedLeb128(624485)).toEqual([0xe5, 0x8e, 0x26]);
  });
});

describe('signedLeb128', () => {
  it('encodes two’s complement values with a sign bit in the last byte', () => {
    expect(signedLeb128(0)).toEqual([0]);
    expect(signedLeb128(-1)).toEqual([0x7f]);
    expect(signedLeb128(63)).toEqual([0x3f]);
    expect(signedLeb128(64)).toEqual([0xc0, 0x00]);
    expect(signedLeb128(-16)).toEqual([0x70]);
    expect(signedLeb128(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });
});

describe('WasmFunctionBuilder', () => {
  it('builds SIMD loops that run on an imported memory', () => {
    // axpy(target, source, byteLength): target[k] += source[k] + source[k], four floats at a
    // time, then a scalar tail.
    const builder = new WasmFunctionBuilder(['i32', 'i32', 'i32']);
    const [target, source, byteLength] = [0, 1, 2];
    const offset = builder.local('i32');
    const vectorBytes = builder.local('i32');
    builder.get(byteLength).i32(-16).and().set(vectorBytes);
    builder.forLoop(offset, { constant: 0 }, { local: vectorBytes }, 16, () => {
      builder.get(target).get(offset).add();
      builder.get(target).get(offset).add().v128Load();
      builder.get(source).get(offset).add().v128Load();
      builder.get(source).get(offset).add().v128Load();
      builder.f32x4Add().f32x4Add().v128Store();
    });
    builder.forLoop(offset, { local: vectorBytes }, { local: byteLength }, 4, () => {
      builder.get(target).get(offset).add();
      builder.get(target).get(offset).add().f32Load();
      builder.get(source).get(offset).add().f32Load();
      builder.get(source).get(offset).add().f32Load();
      builder.f32Add().f32Add().f32Store();
    });
    const memory = new WebAssembly.Memory({ initial: 1 });
    const bytes = encodeModule({ axpy: builder });
    expect(WebAssembly.validate(bytes)).toBe(true);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    const floats = new Float32Array(memory.buffer);
    const count = 7;
    for (let index = 0; index < count; index++) {
      floats[index] = index; // target
      floats[64 + index] = 10 * index; // source
    }
    (instance.exports.axpy as (...args: number[]) => void)(0, 256, count * 4);
    expect(Array.from(floats.subarray(0, count))).toEqual([0, 21, 42, 63, 84, 105, 126]);
    expect(floats[count]).toBe(0);
  });

  it('skips the body when a condition is false', () => {
    // clampedStore(pointer, index, limit): stores 1 at pointer if index <u limit.
    const builder = new WasmFunctionBuilder(['i32', 'i32', 'i32']);
    builder.get(1).get(2).ltU();
    builder.when(() => {
      builder.get(0).get(0).f32Load().get(0).f32Load().f32Mul().f32Store();
    });
    const memory = new WebAssembly.Memory({ initial: 1 });
    const bytes = encodeModule({ squareIfInside: builder });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    const squareIfInside = instance.exports.squareIfInside as (...args: number[]) => void;
    const floats = new Float32Array(memory.buffer);
    floats[0] = 3;
    squareIfInside(0, -1, 5); // -1 is huge unsigned: outside
    expect(floats[0]).toBe(3);
    squareIfInside(0, 4, 5);
    expect(floats[0]).toBe(9);
  });
});
