import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSupernet, saveSupernet } from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
import { getSearchSpace } from '@supernas/search-space';

/**
 * A run folder as `supernas train` leaves it, without the training: the config and a
 * checkpoint of a freshly initialised tiny supernet (Fashion-MNIST: 1 channel, 10 classes),
 * evaluated cheaply (one calibration batch of 16, batches of 32).
 */
export async function makeTestRun(
  root: string,
  name = 'run',
  data: Record<string, unknown> = {},
): Promise<string> {
  const runDir = join(root, name);
  await mkdir(runDir, { recursive: true });
  const config = {
    space: 'tiny',
    backend: 'cpu',
    data: {
      dataset: 'fashion-mnist',
      heldOut: 128,
      trainLimit: 64,
      testLimit: 32,
      batchSize: 16,
      ...data,
    },
    evaluation: { calibrationBatches: 1, calibrationBatchSize: 16, middleArchs: 1, batchSize: 32 },
  };
  await writeFile(join(runDir, 'config.json'), JSON.stringify(config));
  const supernet = createSupernet(getSearchSpace('tiny'), {
    numClasses: 10,
    inputChannels: 1,
    seed: 2,
  });
  await saveSupernet(supernet, fileSystemHandler(join(runDir, 'checkpoint')), { step: 3 });
  supernet.dispose();
  return runDir;
}
