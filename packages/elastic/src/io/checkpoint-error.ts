import { SupernasError } from '@supernas/errors';

/**
 * A checkpoint that cannot be used as asked: not a supernas checkpoint, another format version,
 * another space, or weights that do not match the supernet. Carries the offending value and
 * what was expected. Code `checkpoint`.
 */
export class CheckpointError extends SupernasError {
  override readonly name = 'CheckpointError';

  constructor(
    message: string,
    readonly value: unknown,
    readonly expected: unknown,
    options: { readonly cause?: unknown } = {},
  ) {
    super(message, { code: 'checkpoint', cause: options.cause });
  }
}

/**
 * Weight bytes that do not match their manifest: a truncated or padded file, or a checksum
 * mismatch. `source` names the file (or handler) the bytes came from. Code `corrupt_weights`.
 */
export class CorruptWeightsError extends SupernasError {
  override readonly name = 'CorruptWeightsError';

  constructor(
    message: string,
    readonly source: string,
    readonly value: number | string,
    readonly expected: number | string,
  ) {
    super(message, { code: 'corrupt_weights' });
  }
}
