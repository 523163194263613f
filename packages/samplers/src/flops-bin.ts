/**
 * The bin of `mflops` under `binEdges` (bin i is [edge i, edge i+1), the last one closed, as in
 * `flopsPrior`), or -1 outside the edges. Binary search, so hand-made uneven edges work too.
 */
export function flopsBin(binEdges: readonly number[], mflops: number): number {
  const last = binEdges.length - 1;
  if (last < 1 || !(mflops >= (binEdges[0] as number)) || mflops > (binEdges[last] as number))
    return -1;
  if (mflops === binEdges[last]) return last - 1;
  let low = 0;
  let high = last;
  // Invariant: binEdges[low] <= mflops < binEdges[high].
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (mflops >= (binEdges[middle] as number)) low = middle;
    else high = middle;
  }
  return low;
}
