import type { StaticSubnet } from './types.js';

/** Frees a static subnet's weights. Safe to call twice. */
export function disposeStaticSubnet(subnet: StaticSubnet): void {
  for (const weight of subnet.weights.values()) {
    if (!weight.isDisposed) weight.dispose();
  }
}
