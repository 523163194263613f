import type { Rng } from '@supernas/search-space';
import type { ParameterInit } from './supernet-layout.js';

/**
 * Initial values of a weight of `size` elements, drawn from `rng`. Normal draws use both outputs of
 * each Box-Muller pair: the largest supernet has ~24M weights and this runs once per creation.
 */
export function initialValues(init: ParameterInit, size: number, rng: Rng): Float32Array {
  const values = new Float32Array(size);
  if (init.kind === 'constant') {
    if (init.value !== 0) values.fill(init.value);
    return values;
  }
  if (init.kind === 'uniform') {
    for (let i = 0; i < size; i++) values[i] = (2 * rng.next() - 1) * init.bound;
    return values;
  }
  for (let i = 0; i < size; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - rng.next())) * init.std;
    const angle = 2 * Math.PI * rng.next();
    values[i] = radius * Math.cos(angle);
    if (i + 1 < size) values[i + 1] = radius * Math.sin(angle);
  }
  return values;
}
