// Imported first by cli.ts, before anything can load oneDNN and with it libgomp, which reads its
// settings once, when it loads. A user's own settings win.
//
// How OpenMP threads wait at a barrier decides a lot on a 2-core machine. GNU OpenMP's default
// spins for 300,000 rounds: when anything else wants a core, two spinning kernel threads
// time-slice against it and the default job fell from ~260 to ~6 images/s. Sleeping at once
// (PASSIVE alone) is safe, but then every parallel region pays for waking the other core: a
// tiny-space forward took 15.5 ms instead of 10.5 (bench/openmp-wait.bench.mjs). So the threads
// spin briefly (10,000 rounds, tens of microseconds: nearly as fast as spinning without end)
// and then sleep, and while another process keeps a core busy, the native backend drops
// to the threads the free cores can carry (`adaptThreadsToLoad`, started by `selectBackend` where
// `SUPERNAS_ADAPTIVE_THREADS` is 1): brief spinning costs there, one thread does not.
// `OMP_NUM_THREADS` pins the count (and with it the rounding of reductions, for bit-identical
// reruns).
if (process.env.OMP_WAIT_POLICY === undefined && process.env.GOMP_SPINCOUNT === undefined) {
  process.env.OMP_WAIT_POLICY = 'PASSIVE';
  process.env.GOMP_SPINCOUNT = '10000';
}
process.env.SUPERNAS_ADAPTIVE_THREADS ??= '1';
