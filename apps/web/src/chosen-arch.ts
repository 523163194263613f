import type { ExportMetadata, SearchCandidate } from '@supernas/evaluator';
import {
  calibratedArchRunner,
  imageBatches,
  supernetArchRunner,
} from '@supernas/evaluator/supernet';
import { countFlops } from '@supernas/flops';
import type { ChosenArch } from './app-state.js';
import { state } from './app-state.js';

/**
 * The runner for a search's chosen arch: the exported subnet's graph model when it is one, else
 * the arch extracted from the run's supernet, its BN statistics calibrated here on the run's
 * calibration images (the checkpoint's are not an arch's: `supernas export` calibrates too).
 */
export async function chosenArch(candidate: SearchCandidate): Promise<ChosenArch> {
  const exported = state.subnets.find((subnet) => subnet.subnet.metadata.archKey === candidate.key);
  if (exported !== undefined) {
    return {
      label: exported.label,
      arch: candidate.arch,
      key: candidate.key,
      metadata: exported.subnet.metadata,
      runner: exported.runner!,
      exported,
      dispose: () => {},
    };
  }
  // The run's preprocessing and class names, with this arch's shape and costs.
  const {
    top1: _top1,
    testExamples: _testExamples,
    ...template
  } = state.subnets[0]!.subnet.metadata;
  const { resolution } = candidate.arch;
  const channels = template.inputShape[3]!;
  const { params } = countFlops(state.run!.space, candidate.arch, {
    numClasses: template.numClasses,
    inputChannels: channels,
  });
  const metadata: ExportMetadata = {
    ...template,
    arch: candidate.arch,
    archKey: candidate.key,
    mflops: candidate.mflops,
    params,
    inputShape: [-1, resolution, resolution, channels],
    files: [],
  };
  const calibration = state.calibration;
  const runner =
    calibration === undefined
      ? supernetArchRunner(state.supernet!, candidate.arch)
      : await calibratedArchRunner(
          state.supernet!,
          candidate.arch,
          imageBatches(calibration.images, metadata, calibration.batchSize),
        );
  return {
    label:
      calibration === undefined
        ? 'from the supernet (BN not calibrated: this run ships no calibration images)'
        : `from the supernet (BN calibrated here on ${calibration.images.length} training images)`,
    arch: candidate.arch,
    key: candidate.key,
    metadata,
    runner,
    dispose: runner.dispose,
  };
}
