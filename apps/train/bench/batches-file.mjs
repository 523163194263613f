// The batches file that make-batches.mjs writes and case.mjs and bench/torch/sandwich_step.py
// read, little-endian: uint32 header length H, H bytes of JSON header (padded with spaces so the
// data starts 4-byte aligned), float32 NHWC images [batches, batchSize, height, width, channels],
// int32 labels [batches, batchSize].
import { readFileSync, writeFileSync } from 'node:fs';

const format = 'supernas-bench-batches';

/** `batches` are the iterator's `{ images: Float32Array, labels: Int32Array, shape }` batches. */
export function writeBatchesFile(path, header, batches) {
  const [batchSize, height, width, channels] = batches[0].shape;
  const full = {
    format,
    version: 1,
    batches: batches.length,
    batchSize,
    height,
    width,
    channels,
    ...header,
  };
  let headerText = JSON.stringify(full);
  headerText += ' '.repeat((4 - ((4 + Buffer.byteLength(headerText)) % 4)) % 4);
  const headerBytes = Buffer.from(headerText, 'utf8');
  const images = new Float32Array(batches.length * batchSize * height * width * channels);
  const labels = new Int32Array(batches.length * batchSize);
  batches.forEach((batch, index) => {
    images.set(batch.images, index * batch.images.length);
    labels.set(batch.labels, index * batch.labels.length);
  });
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  // Typed arrays are little-endian on every platform this runs on (x86-64, arm64).
  writeFileSync(
    path,
    Buffer.concat([
      length,
      headerBytes,
      Buffer.from(images.buffer, images.byteOffset, images.byteLength),
      Buffer.from(labels.buffer, labels.byteOffset, labels.byteLength),
    ]),
  );
  return full;
}

/** `{ header, batches: [{ images, labels, shape }] }` with views into one read of the file. */
export function readBatchesFile(path) {
  const bytes = readFileSync(path);
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8'));
  if (header.format !== format || header.version !== 1)
    throw new Error(`${path} is not a ${format} v1 file (header ${JSON.stringify(header)})`);
  const { batchSize, height, width, channels } = header;
  const pixels = batchSize * height * width * channels;
  const expected = 4 + headerLength + header.batches * (4 * pixels + 4 * batchSize);
  if (bytes.length !== expected)
    throw new Error(`${path} holds ${bytes.length} bytes, its header says ${expected}`);
  // A fresh copy, so the typed arrays start 4-byte aligned whatever Buffer pooling did.
  const data = new Uint8Array(bytes.subarray(4 + headerLength)).buffer;
  const images = new Float32Array(data, 0, header.batches * pixels);
  const labels = new Int32Array(data, 4 * header.batches * pixels, header.batches * batchSize);
  const batches = Array.from({ length: header.batches }, (_, index) => ({
    images: images.subarray(index * pixels, (index + 1) * pixels),
    labels: labels.subarray(index * batchSize, (index + 1) * batchSize),
    shape: [batchSize, height, width, channels],
  }));
  return { header, batches };
}
