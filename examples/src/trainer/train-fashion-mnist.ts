import { createBatchIterator, loadFashionMnist } from '@supernas/data';
import { createSupernet, registerGradients, saveSupernet } from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
import { flopsPrior } from '@supernas/flops';
import { attentiveSampler, sandwichSampler } from '@supernas/samplers';
import { createRng, tinySpace as space } from '@supernas/search-space';
import { type TrainConfig, trainSupernet } from '@supernas/trainer';

await registerGradients();
const train = await loadFashionMnist({ split: 'train' });
const rng = createRng(0);
const supernet = createSupernet(space, { numClasses: 10, inputChannels: 1, seed: 0 });
const prior = flopsPrior(space, { rng: rng.fork(), numClasses: 10, inputChannels: 1 });
const inner = attentiveSampler({
  space,
  prior,
  candidates: 3,
  mode: 'best',
  rng: rng.fork(),
  numClasses: 10,
});
const sampler = sandwichSampler({ space, middle: 2, inner }); // [max, 2 middle, min] per step
const data = createBatchIterator(train, { batchSize: 64, rng: rng.fork() }); // 28 px batches
const perEpoch = Math.floor(train.size / 64);
const totalSteps = Math.round(1.5 * perEpoch);
const config: TrainConfig = {
  totalSteps,
  warmupSteps: Math.round(0.05 * totalSteps),
  baseLr: 0.1,
  minLr: 0,
  momentum: 0.9,
  nesterov: true,
  weightDecay: 1e-5,
  seed: 0,
  checkpointEvery: 200,
  labelSmoothing: 0.1,
  dropout: 0.1,
  dropConnect: 0.1,
  gradClipValue: 1,
  labelWarmupSteps: Math.round(0.75 * perEpoch),
  distillation: { kind: 'alpha', alphaMin: -1, alphaMax: 1, clip: 5 },
};
const abort = new AbortController();
process.once('SIGINT', () => abort.abort());
const result = await trainSupernet({
  supernet,
  sampler,
  data,
  config,
  signal: abort.signal,
  onStep: (record) => console.log(record.step, record.studentLoss, record.losses[0]?.loss),
  saveCheckpoint: async (state, optimizer) => {
    await saveSupernet(supernet, fileSystemHandler('run/checkpoint'), {
      optimizer,
      step: state.step,
      metadata: { samplerState: state.samplerState, dataState: state.dataState },
    });
  },
});
result.optimizer.dispose(); // result: { steps, optimizer, interrupted }
