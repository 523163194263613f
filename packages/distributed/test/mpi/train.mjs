// Under mpirun: each rank starts from its own random supernet, takes rank 0's weights by
// broadcast, then trains K data-parallel sandwich steps on its shard of each global batch.
// Every rank writes a hash of its weights and the step records.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSupernet, registerGradients } from '@supernas/elastic';
import { flopsPrior } from '@supernas/flops';
import { attentiveSampler, sandwichSampler } from '@supernas/samplers';
import { createRng } from '@supernas/search-space';
import { trainSupernet } from '@supernas/trainer';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mpiCollective } from '../../dist/index.js';
import { broadcastVariables, dataParallel } from '../../dist/tfjs/index.js';
import { globalBatch, microSpace, shardOf } from './micro.mjs';
import { writeResult } from './result.mjs';

const steps = Number(process.argv[2] ?? 3);
// `stop-on-usr1`: run until mpirun forwards SIGUSR1, then stop gracefully.
const stopOnSignal = process.argv[3] === 'stop-on-usr1';
const abort = new AbortController();
if (stopOnSignal) process.on('SIGUSR1', () => abort.abort());
const globalBatchSize = 8;
await registerGradients();
await tf.setBackend('cpu');
const collective = mpiCollective({ timeoutSeconds: 300 });
const { rank, size } = collective;

function hashOf(variables) {
  const hash = createHash('sha256');
  for (const name of [...variables.keys()].sort()) hash.update(variables.get(name).dataSync());
  return hash.digest('hex');
}

const supernet = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 100 + rank });
const ownInitialHash = hashOf(supernet.variables);
await broadcastVariables(supernet.variables, collective, 0);
const initialHash = hashOf(supernet.variables);

const rng = createRng(7);
const prior = flopsPrior(microSpace, { samples: 200, bins: 4, rng: rng.fork(), numClasses: 2 });
const sampler = sandwichSampler({
  space: microSpace,
  middle: 1,
  inner: attentiveSampler({
    space: microSpace,
    prior,
    candidates: 2,
    mode: 'best',
    rng: rng.fork(),
    numClasses: 2,
  }),
});
let step = 0;
const data = {
  async next() {
    return shardOf(globalBatch(step++, globalBatchSize), rank, size);
  },
  state: () => ({ step }),
};
const records = [];
const saved = [];
const outcome = await trainSupernet({
  supernet,
  sampler,
  data,
  dataParallel: dataParallel(collective, { bucketBytes: 16 * 1024 }),
  config: {
    totalSteps: steps,
    warmupSteps: 0,
    baseLr: 0.1,
    minLr: 0,
    momentum: 0.9,
    nesterov: true,
    weightDecay: 1e-5,
    seed: 3,
    checkpointEvery: 0,
    labelSmoothing: 0.1,
    dropout: 0.1,
    dropConnect: 0.1,
    gradClipValue: 1,
    distillation: { kind: 'alpha', alphaMin: -1, alphaMax: 1, clip: 5 },
  },
  signal: abort.signal,
  saveCheckpoint: async (state) => {
    saved.push(state.step);
  },
  onStep: (record) => {
    // Tells the test that training runs (it then signals mpirun).
    if (stopOnSignal && rank === 0 && record.step === 1)
      writeFileSync(join(process.env.SUPERNAS_TEST_OUT, 'started'), '');
    records.push({
      step: record.step,
      batchSize: record.batchSize,
      losses: record.losses.map(({ role, loss, arch }) => ({ role, loss, arch })),
    });
  },
});
writeResult({
  rank,
  size,
  ownInitialHash,
  initialHash,
  finalHash: hashOf(supernet.variables),
  records,
  steps: outcome.steps,
  interrupted: outcome.interrupted,
  saved,
});
outcome.optimizer.dispose();
supernet.dispose();
await collective.close();
