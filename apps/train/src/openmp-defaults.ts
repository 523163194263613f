// Imported first by cli.ts, before anything can load oneDNN and with it libgomp, which reads its
// settings once, when it loads. GNU OpenMP's default (ACTIVE) spin-waits at every barrier: on a
// machine where anything else wants a core, the default job fell from ~260 to ~6 images/s (two
// spinning kernel threads time-sliced against a third process). PASSIVE threads sleep instead.
// A user's own setting wins.
process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
