import { formatValue, SupernasError } from '@supernas/errors';

/**
 * `enableNativeBackend()` was called where the addon did not build or load. Code
 * `native_backend_unavailable`.
 */
export class NativeBackendUnavailableError extends SupernasError {
  override readonly name = 'NativeBackendUnavailableError';
  constructor(readonly reason: string) {
    super(`The native backend is unavailable: ${reason}`, { code: 'native_backend_unavailable' });
  }
}

/** An option of `enableNativeBackend()` is out of range. Code `invalid_native_option`. */
export class InvalidNativeOptionError extends SupernasError {
  override readonly name = 'InvalidNativeOptionError';
  constructor(
    readonly option: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`enableNativeBackend: ${option} must be ${expected}, but got ${formatValue(value)}`, {
      code: 'invalid_native_option',
    });
  }
}
