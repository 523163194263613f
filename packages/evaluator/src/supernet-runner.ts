import {
  disposeStaticSubnet,
  extractSubnet,
  type LoadedSupernet,
  loadSupernet,
  runStaticSubnet,
  type Supernet,
} from '@supernas/elastic';
import type { ArchConfig } from '@supernas/search-space';
import type { ArtifactSource } from './artifact-source.js';
import { sourceLoadHandler } from './load-subnet-model.js';
import type { LoadedRunner } from './pick-backend.js';

/**
 * Loads a run's supernet checkpoint (`checkpoint/model.json`) through the source, for small
 * spaces: any arch can then be extracted and timed without exporting it first.
 */
export function loadRunSupernet(
  source: ArtifactSource,
  checkpointPath = 'checkpoint/model.json',
): Promise<LoadedSupernet> {
  return loadSupernet(sourceLoadHandler(source, checkpointPath));
}

/**
 * A runner over one arch extracted from a supernet (its checkpoint BN statistics, not
 * recalibrated: right for timing, not for accuracy).
 */
export function supernetArchRunner(supernet: Supernet, arch: ArchConfig): LoadedRunner {
  const subnet = extractSubnet(supernet, arch);
  return {
    inputShape: [arch.resolution, arch.resolution, supernet.inputChannels],
    run: (images) => runStaticSubnet(subnet, images),
    dispose: () => disposeStaticSubnet(subnet),
  };
}
