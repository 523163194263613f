import { SupernasError } from '@supernas/errors';
import type * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { CheckpointError } from './checkpoint-error.js';
import { weightSpecByteLength, weightSpecsByteLength } from './weight-spec-byte-length.js';

describe('weightSpecByteLength', () => {
  it('counts the bytes of plain and quantized entries', () => {
    expect(weightSpecByteLength({ name: 'a', shape: [2, 3], dtype: 'float32' })).toBe(24);
    expect(
      weightSpecByteLength({
        name: 'b',
        shape: [4],
        dtype: 'float32',
        quantization: { dtype: 'uint8', scale: 1, min: 0 },
      }),
    ).toBe(4);
    expect(
      weightSpecsByteLength([
        { name: 'a', shape: [2], dtype: 'int32' },
        { name: 'c', shape: [3], dtype: 'bool' },
      ]),
    ).toBe(11);
  });

  it('rejects a dtype a manifest cannot hold with a CheckpointError naming it', () => {
    const spec: tf.io.WeightsManifestEntry = { name: 'w', shape: [1], dtype: 'string' };
    let error: unknown;
    try {
      weightSpecByteLength(spec);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CheckpointError);
    expect(SupernasError.hasCode(error, 'checkpoint')).toBe(true);
    expect((error as Error).message).toBe(
      "weightSpecByteLength: weight 'w' has dtype 'string', expected one of float32, int32, bool, complex64",
    );
  });
});
