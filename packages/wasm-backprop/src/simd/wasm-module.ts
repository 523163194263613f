import {
  encodeValueType,
  unsignedLeb128,
  type WasmFunctionBuilder,
} from './wasm-function-builder.js';

/**
 * Encodes a module of exported functions that works on an imported memory (`env.memory`), so
 * the functions read and write tfjs-wasm's heap directly.
 */
export function encodeModule(
  functions: Record<string, WasmFunctionBuilder>,
): Uint8Array<ArrayBuffer> {
  const entries = Object.entries(functions);
  const name = (text: string) => {
    const bytes = [...new TextEncoder().encode(text)];
    return [...unsignedLeb128(bytes.length), ...bytes];
  };
  const vector = (items: number[][]) => [...unsignedLeb128(items.length), ...items.flat()];
  const section = (id: number, contents: number[]) => [
    id,
    ...unsignedLeb128(contents.length),
    ...contents,
  ];
  const types = entries.map(([, builder]) => [
    0x60,
    ...unsignedLeb128(builder.params.length),
    ...builder.params.map(encodeValueType),
    0,
  ]);
  // Memory import with limits {min: 0}, so any unshared memory satisfies it.
  const imports = [[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]];
  const functionTypes = entries.map((_, index) => unsignedLeb128(index));
  const exports = entries.map(([exportName], index) => [
    ...name(exportName),
    0x00,
    ...unsignedLeb128(index),
  ]);
  const codes = entries.map(([, builder]) => builder.encode());
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vector(types)),
    ...section(2, vector(imports)),
    ...section(3, vector(functionTypes)),
    ...section(7, vector(exports)),
    ...section(10, vector(codes)),
  ]);
}
