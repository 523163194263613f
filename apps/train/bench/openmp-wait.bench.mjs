// How OpenMP's wait policy and thread count change the default job's passes on the native
// backend, on an idle machine and beside a busy process (--busy). Each setting runs in its own
// process (libgomp reads its environment once, when it loads), in alternating rounds:
//   node bench/openmp-wait.bench.mjs [--rounds 2] [--busy]
// A round times, after a warm-up, 3 x 20 forwards (training mode, no tape: as the attentive sampler ranks) and 3 x
// 20 forward + backward passes of random tiny-space subnets at batch 64. Prints one JSON line per
// setting and pass: median, min and max over the rounds, in milliseconds per pass.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    busy: { type: 'boolean', default: false },
    child: { type: 'boolean', default: false },
  },
});

const settings = {
  'sleep at once (OMP_WAIT_POLICY=PASSIVE)': { OMP_WAIT_POLICY: 'PASSIVE' },
  'spin 10,000 rounds, then sleep (the supernas default)': {
    OMP_WAIT_POLICY: 'PASSIVE',
    GOMP_SPINCOUNT: '10000',
  },
  'spin without end (OMP_WAIT_POLICY=ACTIVE)': { OMP_WAIT_POLICY: 'ACTIVE' },
  'one thread, spin 10,000 (what adaptThreadsToLoad drops to)': {
    OMP_NUM_THREADS: '1',
    GOMP_SPINCOUNT: '10000',
  },
};

if (values.child) {
  const { createSupernet, registerGradients } = await import('@supernas/elastic');
  const { createRng, getSearchSpace, sampleArch } = await import('@supernas/search-space');
  const tf = await import('@tensorflow/tfjs-core');
  const { selectBackend } = await import('../dist/backend.js');
  await selectBackend('native');
  await registerGradients();
  const space = getSearchSpace('tiny');
  const supernet = createSupernet(space, { numClasses: 10, inputChannels: 1, seed: 0 });
  const rng = createRng(0);
  const archs = Array.from({ length: 20 }, () => sampleArch(space, rng));
  const images = {
    24: tf.randomNormal([64, 24, 24, 1], 0, 1, 'float32', 1),
    28: tf.randomNormal([64, 28, 28, 1], 0, 1, 'float32', 2),
  };
  const forward = (arch) =>
    supernet.apply(images[arch.resolution], arch, { training: true, dropout: 0, dropConnect: 0 });
  const passes = {
    forward: (arch) => tf.tidy(() => forward(arch).dataSync()),
    'forward + backward': (arch) => {
      const { value, grads } = tf.variableGrads(() => tf.sum(forward(arch)));
      tf.dispose([value, ...Object.values(grads)]);
    },
  };
  // Warm-up: every arch once each way, so that building oneDNN primitives is not timed.
  for (const pass of Object.values(passes)) for (const arch of archs) pass(arch);
  const result = {};
  for (const [name, pass] of Object.entries(passes)) {
    const started = performance.now();
    for (let repeat = 0; repeat < 3; repeat++) for (const arch of archs) pass(arch);
    result[name] = (performance.now() - started) / (3 * archs.length);
  }
  console.log(JSON.stringify(result));
  process.exit(0);
}

const script = fileURLToPath(import.meta.url);
const median = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const busy = values.busy
  ? spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })
  : undefined;
try {
  const samples = {};
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [setting, env] of Object.entries(settings)) {
      const childEnv = { ...process.env, ...env };
      for (const name of ['OMP_WAIT_POLICY', 'GOMP_SPINCOUNT', 'OMP_NUM_THREADS'])
        if (!(name in env)) delete childEnv[name];
      delete childEnv.SUPERNAS_ADAPTIVE_THREADS;
      const run = spawnSync(process.execPath, [script, '--child'], {
        encoding: 'utf8',
        env: childEnv,
      });
      if (run.status !== 0) throw new Error(`${setting}: ${run.stderr.trim()}`);
      const line = run.stdout.split('\n').find((text) => text.startsWith('{'));
      for (const [pass, ms] of Object.entries(JSON.parse(line))) {
        const key = `${setting}\u0000${pass}`;
        samples[key] ??= [];
        samples[key].push(ms);
      }
    }
  }
  for (const [key, ms] of Object.entries(samples)) {
    const [setting, pass] = key.split('\u0000');
    console.log(
      JSON.stringify({
        case: 'tiny subnet pass, batch 64, native',
        setting,
        pass,
        busyProcess: values.busy,
        median: median(ms),
        min: Math.min(...ms),
        max: Math.max(...ms),
        unit: 'ms',
        rounds: ms.length,
      }),
    );
  }
} finally {
  busy?.kill();
}
