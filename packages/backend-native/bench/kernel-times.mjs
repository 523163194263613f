// Time and calls per kernel name from a `tf.profile` result, slowest first: shared by the
// profile scripts.
export function kernelTimes(profile) {
  const byKernel = new Map();
  for (const kernel of profile.kernels) {
    const entry = byKernel.get(kernel.name) ?? { ms: 0, calls: 0 };
    entry.ms += kernel.kernelTimeMs;
    entry.calls += 1;
    byKernel.set(kernel.name, entry);
  }
  return [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
}
