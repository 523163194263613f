// Under mpirun: every collective on rank-dependent data; each rank prints what it got.
import { mpiCollective } from '../../dist/index.js';
import { writeResult } from './result.mjs';

const collective = mpiCollective({ timeoutSeconds: 60 });
const { rank, size } = collective;
/** The same pseudo-random values the test recomputes for each rank. */
function valuesOf(peer, length) {
  return Array.from(
    { length },
    (_, index) => Math.sin(peer * 1000 + index * 7.3) * 10 ** (index % 5),
  );
}

const out = { rank, size, transport: collective.transport, library: collective.library };
for (const op of ['sum', 'mean', 'max', 'min']) {
  out[`f32-${op}`] = Array.from(
    await collective.allreduce(new Float32Array(valuesOf(rank, 37)), op),
  );
  out[`f64-${op}`] = Array.from(
    await collective.allreduce(new Float64Array(valuesOf(rank, 37)), op),
  );
}
// Large enough for the bandwidth algorithms (ring, reduce-scatter + allgather): exact sums of
// small integers, so any misplaced chunk shows.
const large = new Float32Array(300_001).map((_, index) => (index % 97) + rank);
await collective.allreduce(large, 'sum');
out.largeMismatches = large.filter(
  (value, index) => value !== size * (index % 97) + (size * (size - 1)) / 2,
).length;
out.syncMean = Array.from(collective.allreduceSync(new Float32Array(valuesOf(rank, 37)), 'mean'));
const rootValues = new Int32Array(5).fill(rank === size - 1 ? 42 : rank);
out.broadcast = Array.from(await collective.broadcast(rootValues, size - 1));
out.broadcastSync = Array.from(collective.broadcastSync(new Float64Array([rank + 0.5]), 0));
out.allgather = Array.from(
  await collective.allgather(new Float32Array([rank, rank * 10, rank + 100])),
);
out.allgatherSync = Array.from(collective.allgatherSync(new Uint8Array([rank + 1])));
// A barrier really waits: the last rank arrives 300 ms late, the others see the delay.
const before = performance.now();
if (rank === size - 1) await new Promise((resolve) => setTimeout(resolve, 300));
await collective.barrier();
out.barrierMs = performance.now() - before;
collective.barrierSync();
// Calls made without awaiting reach MPI in program order.
const queued = await Promise.all([
  collective.allreduce(new Float32Array([rank]), 'sum'),
  collective.allreduce(new Float32Array([1]), 'max'),
]);
out.queued = queued.map((buffer) => buffer[0]);
writeResult(out);
await collective.close();
