// Under mpirun: rank 1 fails before the second collective, as `node failure.mjs <mode>` says:
// `kill` (SIGKILL, as the OOM killer would) or `hang` (a busy JS loop, as a deadlock would).
import { mpiCollective } from '../../dist/index.js';

const mode = process.argv[2];
const timeoutSeconds = Number(process.argv[3] ?? 20);
const collective = mpiCollective({ timeoutSeconds });
await collective.allreduce(new Float32Array(1000), 'sum');
if (collective.rank === 1) {
  if (mode === 'kill') process.kill(process.pid, 'SIGKILL');
  if (mode === 'hang') {
    const until = Date.now() + 120_000;
    while (Date.now() < until) {
      // a rank stuck in its own work never reaches the next collective
    }
  }
}
await collective.allreduce(new Float32Array(1000), 'sum');
await collective.close();
