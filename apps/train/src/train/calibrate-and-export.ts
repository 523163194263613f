import { disposeStaticSubnet, exportGraphModel, extractSubnet } from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
import { countFlops } from '@supernas/flops';
import type { ArchConfig } from '@supernas/search-space';
import { withFileErrors } from '../run/run-file-error.js';
import { ensureWritableDirectory } from '../run/writable-directory.js';
import { calibrateOnTraining } from './calibrate-on-training.js';
import type { OpenRun } from './open-run.js';

/** Calibrates `arch`'s BN on training batches, extracts it and writes a tfjs graph model to `out`. */
export async function calibrateAndExport(
  run: OpenRun,
  arch: ArchConfig,
  out: string,
): Promise<{ batches: number; mflops: number }> {
  // Before the calibration: a folder that cannot be written fails in a second, not minutes.
  await ensureWritableDirectory(out, '--out');
  const calibration = await calibrateOnTraining(run.supernet, arch, run.train, {
    ...run.config.evaluation,
    seed: run.config.seed,
    ...(run.config.data.augmentation === undefined
      ? {}
      : { augmentation: run.config.data.augmentation }),
  });
  const subnet = extractSubnet(run.supernet, arch);
  try {
    await withFileErrors('the subnet in', out, () =>
      exportGraphModel(subnet, fileSystemHandler(out)),
    );
  } finally {
    disposeStaticSubnet(subnet);
  }
  const { flops } = countFlops(run.space, arch, {
    numClasses: run.supernet.numClasses,
    inputChannels: run.supernet.inputChannels,
  });
  return { batches: calibration.batches, mflops: flops / 1e6 };
}
