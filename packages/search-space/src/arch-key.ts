import type { ArchConfig } from './types.js';

/**
 * A stable, file-name-safe identity for an arch, equal for equal archs whatever their key order
 * or source: `r192_w16-16-24-..._d1-3-..._k3-3-..._e1-4-...`. Use it for caches, result tables
 * and de-duplication.
 */
export function archKey(arch: ArchConfig): string {
  return [
    `r${arch.resolution}`,
    `w${arch.width.join('-')}`,
    `d${arch.depth.join('-')}`,
    `k${arch.kernelSize.join('-')}`,
    `e${arch.expandRatio.join('-')}`,
  ].join('_');
}
