// Real evaluation speed, as `supernas predictor build` and `supernas search --fitness eval` pay
// it per arch: BN calibration on the default 16 training batches of 128, then top-1 on the
// default 5,000 held-out Fashion-MNIST images, for random archs of the `tiny` space. Weights are
// a fresh supernet's: the cost of an evaluation does not depend on them.
//
//   node bench/held-out-eval.bench.mjs [--archs 6] [--backend native] [--holdout-limit M]
import { parseArgs } from 'node:util';
import { createSupernet, registerGradients } from '@supernas/elastic';
import { createRng, getSearchSpace, sampleArch } from '@supernas/search-space';
import { selectBackend } from '../dist/backend.js';
import { parseTrainConfig } from '../dist/train/config.js';
import { evaluateSubnet } from '../dist/train/evaluate-subnets.js';
import { limitDataset, loadRunData } from '../dist/train/load-dataset.js';

const { values } = parseArgs({
  options: {
    archs: { type: 'string', default: '6' },
    backend: { type: 'string', default: 'native' },
    'holdout-limit': { type: 'string' },
  },
});
const count = Number(values.archs);
const config = parseTrainConfig({ backend: values.backend });
const backend = await selectBackend(config.backend, () => {});
await registerGradients();
const data = await loadRunData(config.data, config.seed);
const heldOut = limitDataset(
  data.heldOut,
  values['holdout-limit'] === undefined ? undefined : Number(values['holdout-limit']),
  config.seed,
);
const space = getSearchSpace(config.space);
const supernet = createSupernet(space, {
  numClasses: data.train.numClasses,
  inputChannels: data.train.channels,
  seed: 0,
});
const rng = createRng(1);
const archs = Array.from({ length: count + 1 }, () => sampleArch(space, rng));
const options = { ...config.evaluation, seed: config.seed };
const evaluate = (arch) =>
  evaluateSubnet(supernet, arch, 'bench', { train: data.train, test: heldOut }, options);
// One arch first, untimed: kernels and primitive caches warm up.
await evaluate(archs[0]);
const start = performance.now();
for (const arch of archs.slice(1)) await evaluate(arch);
const seconds = (performance.now() - start) / 1000;
supernet.dispose();
console.log(
  `held-out evaluation (tiny, ${backend.name}, ${options.calibrationBatches}x${options.calibrationBatchSize} calibration images + ${heldOut.size} held-out images per arch): ` +
    `${(count / seconds).toFixed(3)} archs/s (${(seconds / count).toFixed(2)} s per arch, ${count} archs)`,
);
