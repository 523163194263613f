/** How often each overridden kernel ran natively or fell back to the cpu kernel. */
export interface NativeKernelStats {
  readonly native: Readonly<Record<string, number>>;
  readonly fallback: Readonly<Record<string, number>>;
}

const nativeCounts = new Map<string, number>();
const fallbackCounts = new Map<string, number>();

export function countKernelCall(kernelName: string, ranNatively: boolean): void {
  const counts = ranNatively ? nativeCounts : fallbackCounts;
  counts.set(kernelName, (counts.get(kernelName) ?? 0) + 1);
}

/** A snapshot of the counters since the last reset (or since `enableNativeBackend()`). */
export function getNativeKernelStats(): NativeKernelStats {
  return {
    native: Object.fromEntries(nativeCounts),
    fallback: Object.fromEntries(fallbackCounts),
  };
}

export function resetNativeKernelStats(): void {
  nativeCounts.clear();
  fallbackCounts.clear();
}
