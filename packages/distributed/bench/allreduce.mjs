// Under mpirun (see run-bench.mjs): times allreduce at a sweep of sizes and at the gradient
// sizes of the tiny and attentivenas supernets, raw on flat buffers and through
// allreduceGradients on tfjs tensors. Rank 0 prints one JSON object.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mpiCollective } from '../dist/index.js';
import { allreduceGradients } from '../dist/tfjs/index.js';

const collective = mpiCollective({ timeoutSeconds: 600 });
const { rank, size } = collective;
await tf.setBackend('cpu');

const spaces = { tiny: 284_266, attentivenas: 23_934_704 };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median seconds of `run()` over `repeats` timed runs, after warm-ups, ranks in step. */
async function time(run, repeats, warmups = 2) {
  for (let index = 0; index < warmups; index++) await run();
  const seconds = [];
  for (let index = 0; index < repeats; index++) {
    await collective.barrier();
    const startedAt = performance.now();
    await run();
    seconds.push((performance.now() - startedAt) / 1000);
  }
  // The slowest rank sets the step time.
  const [slowest] = await collective.allreduce(new Float64Array([median(seconds)]), 'max');
  return slowest;
}

const repeatsFor = (floats) => (floats >= 4_000_000 ? 5 : floats >= 100_000 ? 20 : 200);

const sweep = [];
for (const floats of [1, 256, 4096, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216]) {
  const buffer = new Float32Array(floats).fill(rank + 1);
  const asyncSeconds = await time(() => collective.allreduce(buffer, 'sum'), repeatsFor(floats));
  const syncSeconds = await time(
    async () => collective.allreduceSync(buffer, 'sum'),
    repeatsFor(floats),
  );
  sweep.push({ floats, bytes: floats * 4, asyncSeconds, syncSeconds });
}

const gradients = [];
for (const [space, floats] of Object.entries(spaces)) {
  const flat = new Float32Array(floats).fill(rank + 0.5);
  const oneBuffer = await time(() => collective.allreduce(flat, 'mean'), repeatsFor(floats));
  const bucketed = {};
  for (const mebibytes of [1, 4, 25]) {
    const bucketFloats = (mebibytes * 2 ** 20) / 4;
    bucketed[mebibytes] = await time(async () => {
      for (let offset = 0; offset < floats; offset += bucketFloats)
        await collective.allreduce(flat.subarray(offset, offset + bucketFloats), 'mean');
    }, repeatsFor(floats));
  }
  // As training calls it: tensors of a few typical sizes, copied out of and back into tfjs.
  const tensorCount = space === 'tiny' ? 60 : 400;
  const per = Math.floor(floats / tensorCount);
  const named = {};
  for (let index = 0; index < tensorCount; index++) {
    const length = index === tensorCount - 1 ? floats - per * (tensorCount - 1) : per;
    named[`p${String(index).padStart(4, '0')}`] = tf.fill([length], rank + 0.5);
  }
  const throughTfjs = await time(async () => {
    const reduced = await allreduceGradients(named, collective);
    tf.dispose(Object.values(reduced));
  }, repeatsFor(floats));
  tf.dispose(Object.values(named));
  gradients.push({ space, floats, bytes: floats * 4, oneBuffer, bucketed, throughTfjs });
}

if (rank === 0)
  console.log(
    `BENCH ${JSON.stringify({ ranks: size, library: collective.library, sweep, gradients })}`,
  );
await collective.close();
