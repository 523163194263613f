/** `enableNativeBackend()` was called where the addon did not build or load. */
export class NativeBackendUnavailableError extends Error {
  override readonly name = 'NativeBackendUnavailableError';
  constructor(readonly reason: string) {
    super(`The native backend is unavailable: ${reason}`);
  }
}

/** An option of `enableNativeBackend()` is out of range. */
export class InvalidNativeOptionError extends Error {
  override readonly name = 'InvalidNativeOptionError';
  constructor(
    readonly option: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`enableNativeBackend: ${option} must be ${expected}, but got ${String(value)}`);
  }
}
