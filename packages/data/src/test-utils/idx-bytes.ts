/** Builds IDX bytes: magic 00 00 08 <rank>, big-endian sizes, data. */
export function idxBytes(dimensions: readonly number[], data: ArrayLike<number>): Uint8Array {
  const header = new Uint8Array(4 + 4 * dimensions.length);
  const view = new DataView(header.buffer);
  view.setUint32(0, 0x00000800 + dimensions.length);
  dimensions.forEach((size, i) => {
    view.setUint32(4 + 4 * i, size);
  });
  const bytes = new Uint8Array(header.length + data.length);
  bytes.set(header);
  bytes.set(Uint8Array.from(data), header.length);
  return bytes;
}
