import type { ExportMetadata, SearchCandidate } from '@supernas/evaluator';
import { supernetArchRunner } from '@supernas/evaluator/supernet';
import { countFlops } from '@supernas/flops';
import type { ChosenArch } from './app-state.js';
import { state } from './app-state.js';

/**
 * The runner for a search's chosen arch: the exported subnet's graph model when it is one, else
 * the arch extracted from the run's supernet (with the checkpoint's BN statistics).
 */
export function chosenArch(candidate: SearchCandidate): ChosenArch {
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
  const runner = supernetArchRunner(state.supernet!, candidate.arch);
  return {
    label: 'from the supernet',
    arch: candidate.arch,
    key: candidate.key,
    metadata,
    runner,
    dispose: runner.dispose,
  };
}
