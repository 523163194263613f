import type { SearchSpace } from '@supernas/search-space';
import { createSupernet } from '../create-supernet.js';
import type { Supernet } from '../types.js';
import { assertSameSpace } from './assert-same-space.js';
import type { CheckpointableOptimizer } from './checkpoint-format.js';
import { disposeCheckpoint } from './dispose-checkpoint.js';
import { loadCheckpoint } from './load-checkpoint.js';
import type { UrlOrHandler } from './resolve-io-handler.js';
import { restoreOptimizer } from './restore-optimizer.js';
import { restoreSupernet } from './restore-supernet.js';

/** Builds an empty supernet of a space; `createSupernet` fits. */
export type SupernetFactory = (
  space: SearchSpace,
  options: { readonly numClasses: number; readonly inputChannels: number },
) => Supernet;

export interface LoadSupernetOptions {
  /** Makes the supernet to restore into. Default `createSupernet`. */
  readonly createSupernet?: SupernetFactory;
  /** When given, loading a checkpoint of any other space fails. */
  readonly space?: SearchSpace;
  /** A fresh optimizer of the saved class, to receive the saved state. */
  readonly optimizer?: CheckpointableOptimizer;
}

export interface LoadedSupernet {
  readonly supernet: Supernet;
  readonly step: number;
  readonly metadata: Record<string, unknown>;
  /** The saved optimizer's class name and config, to rebuild it (absent when none was saved). */
  readonly optimizer?: { readonly name: string; readonly config: Record<string, unknown> };
}

/**
 * Loads a checkpoint and rebuilds its supernet (and, when asked, the optimizer state). On any
 * failure nothing is left allocated.
 */
export async function loadSupernet(
  urlOrHandler: UrlOrHandler,
  options: LoadSupernetOptions = {},
): Promise<LoadedSupernet> {
  const factory = options.createSupernet ?? createSupernet;
  const checkpoint = await loadCheckpoint(urlOrHandler);
  try {
    if (options.space !== undefined)
      assertSameSpace(checkpoint.space, options.space, 'loadSupernet');
    const supernet = factory(checkpoint.space, {
      numClasses: checkpoint.numClasses,
      inputChannels: checkpoint.inputChannels,
    });
    try {
      restoreSupernet(supernet, checkpoint);
      if (options.optimizer !== undefined)
        await restoreOptimizer(options.optimizer, checkpoint, supernet);
    } catch (error) {
      supernet.dispose();
      throw error;
    }
    return {
      supernet,
      step: checkpoint.step,
      metadata: checkpoint.metadata,
      ...(checkpoint.optimizer === undefined
        ? {}
        : { optimizer: { name: checkpoint.optimizer.name, config: checkpoint.optimizer.config } }),
    };
  } finally {
    disposeCheckpoint(checkpoint);
  }
}
