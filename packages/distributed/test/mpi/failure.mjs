// Under mpirun: rank 1 fails before the second collective, as `node failure.mjs <mode>` says:
// `kill` (SIGKILL, as the OOM killer would), `hang` (a busy JS loop, as a deadlock would), or
// `hang-throw` (a hang, with the survivors set to reject instead of aborting the job), or `abort`
// (rank 1 fails on its own and ends the job with `abort`, the watchdog off), or `stall` (rank 1
// reaches the second collective, then is stopped inside it, as SIGSTOP or a starved host would;
// the survivors reject).
import { mpiCollective } from '../../dist/index.js';
import { writeResult } from './result.mjs';

const mode = process.argv[2];
const timeoutSeconds = Number(process.argv[3] ?? 20);
const collective = mpiCollective({
  timeoutSeconds: mode === 'abort' ? 0 : timeoutSeconds,
  onFailure: mode === 'hang-throw' || mode === 'stall' ? 'throw' : 'abort',
});
await collective.allreduce(new Float32Array(1000), 'sum');
if (collective.rank === 1) {
  if (mode === 'kill') process.kill(process.pid, 'SIGKILL');
  if (mode === 'abort') {
    process.stderr.write('rank 1: failed on its own\n');
    collective.abort(7);
  }
  if (mode === 'hang' || mode === 'hang-throw') {
    const until = Date.now() + 120_000;
    while (Date.now() < until) {
      // a rank stuck in its own work never reaches the next collective
    }
  }
}
// Large enough that no rank completes it alone from buffered sends.
const second = new Float32Array(mode === 'stall' ? 8_000_000 : 1000);
if (mode === 'stall') {
  if (collective.rank === 1) setTimeout(() => process.kill(process.pid, 'SIGSTOP'), 300);
  else await new Promise((resolve) => setTimeout(resolve, 1000));
}
try {
  await collective.allreduce(second, 'sum');
} catch (error) {
  writeResult({ rank: collective.rank, code: error.code, details: error.details });
  // The timed-out collective is still pending inside MPI: exit without finalizing, non-zero,
  // and mpirun ends the other ranks.
  process.exit(3);
}
await collective.close();
