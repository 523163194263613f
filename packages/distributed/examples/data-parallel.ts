// mpirun -np 4 node train.js: every rank trains the same subnets on its quarter of each batch.
import { detectCollective } from '@supernas/distributed';
import { broadcastVariables, dataParallel } from '@supernas/distributed/tfjs';
import { createSupernet, registerGradients } from '@supernas/elastic';
import { sandwichSampler, uniformSampler } from '@supernas/samplers';
import { createRng, tinySpace as space } from '@supernas/search-space';
import { type BatchSource, type TrainConfig, trainSupernet } from '@supernas/trainer';
import '@tensorflow/tfjs-backend-cpu';

declare const config: TrainConfig;
declare function shardOfEachBatch(rank: number, size: number): BatchSource; // your data

await registerGradients();
const collective = detectCollective({ timeoutSeconds: 300 }); // MPI under mpirun, else local
const supernet = createSupernet(space, { numClasses: 10, inputChannels: 1, seed: 0 });
await broadcastVariables(supernet.variables, collective); // every rank starts from rank 0's
await trainSupernet({
  supernet,
  config,
  data: shardOfEachBatch(collective.rank, collective.size),
  // The same seed on every rank, so every rank draws the same subnets.
  sampler: sandwichSampler({
    space,
    middle: 2,
    inner: uniformSampler({ space, rng: createRng(1) }),
  }),
  dataParallel: dataParallel(collective), // gradients averaged in 4 MiB buckets
  onStep: (record) => {
    if (collective.rank === 0) console.log(record.step, record.losses[0]?.loss); // rank 0 writes
  },
});
await collective.close();
