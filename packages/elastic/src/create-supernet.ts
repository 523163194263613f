import { createRng, type SearchSpace, validateArch } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { DisposedError, ElasticOptionError } from './errors.js';
import { forwardSupernet, weightLookup } from './forward-supernet.js';
import { initialValues } from './init-parameters.js';
import { planSubnet } from './subnet-plan.js';
import { type SupernetLayout, supernetLayout } from './supernet-layout.js';
import type { Supernet } from './types.js';

export interface CreateSupernetOptions {
  readonly numClasses: number;
  /** Channels of the input images. Default 3. */
  readonly inputChannels?: number;
  /** Seed of the initial weights: the same seed gives the same supernet. Default 0. */
  readonly seed?: number;
  /**
   * Prefix of the tfjs variable names (`variable.name` is prefix + supernet key), which must be
   * unique in a tfjs engine. Default `supernet<n>/`, n counting supernets made in this process.
   */
  readonly variablePrefix?: string;
}

const layouts = new WeakMap<Supernet, SupernetLayout>();
let created = 0;

/**
 * The layout of a supernet: its own when `createSupernet` made it, otherwise derived from its
 * space (any `Supernet` with the standard weight names works).
 */
export function layoutOf(supernet: Supernet): SupernetLayout {
  let layout = layouts.get(supernet);
  if (layout === undefined) {
    layout = supernetLayout(supernet.space, supernet.numClasses, supernet.inputChannels);
    layouts.set(supernet, layout);
  }
  return layout;
}

function checkCount(option: string, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw new ElasticOptionError(option, value, 'a positive integer');
}

/**
 * Creates the shared weights of `space` with the reference's initialisation (Kaiming normal
 * fan_out convs, unit BN with the last gamma of every block zeroed, uniform classifier), seeded.
 * The arch is an argument of every call: the supernet has no active-subnet state.
 */
export function createSupernet(space: SearchSpace, options: CreateSupernetOptions): Supernet {
  const { numClasses, inputChannels = 3, seed = 0 } = options;
  checkCount('numClasses', numClasses);
  checkCount('inputChannels', inputChannels);
  if (!Number.isFinite(seed)) throw new ElasticOptionError('seed', seed, 'a finite number');
  created += 1;
  const prefix = options.variablePrefix ?? `supernet${created}/`;
  const layout = supernetLayout(space, numClasses, inputChannels);
  const rng = createRng(seed);
  const variables = new Map<string, tf.Variable>();
  try {
    for (const spec of layout.parameters) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      // One forked stream per weight, so adding a weight never reshuffles the others.
      const values = initialValues(spec.init, size, rng.fork());
      variables.set(
        spec.name,
        tf.tidy(() =>
          tf.variable(tf.tensor(values, [...spec.shape]), spec.trainable, prefix + spec.name),
        ),
      );
    }
  } catch (error) {
    for (const variable of variables.values()) variable.dispose();
    throw error;
  }
  const trainableNames = layout.parameters
    .filter((spec) => spec.trainable)
    .map((spec) => spec.name);
  const lookup = weightLookup(variables);
  let disposed = false;
  const supernet: Supernet = {
    space,
    numClasses,
    inputChannels,
    variables,
    trainableNames,
    apply(x, arch, applyOptions) {
      if (disposed) throw new DisposedError('Supernet');
      const plan = planSubnet(layout, validateArch(space, arch));
      return forwardSupernet(lookup, layout, plan, x, applyOptions);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const variable of variables.values()) variable.dispose();
    },
  };
  layouts.set(supernet, layout);
  return supernet;
}
