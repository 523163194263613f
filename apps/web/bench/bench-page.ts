import '../src/backends.js';
import {
  describeBackend,
  graphModelRunner,
  httpSource,
  loadRun,
  loadSubnetModel,
  measureLatency,
  probeBackends,
  useBackend,
} from '@supernas/evaluator';

/** The subnets timed side by side: the demo run's tiny min and max, and AttentiveNAS-A0. */
const models = [
  { name: 'tiny min', run: 'demo/', folder: 'subnets/min' },
  { name: 'tiny max', run: 'demo/', folder: 'subnets/max' },
  { name: 'attentivenas A0', run: 'bench-models/', folder: 'a0' },
];
const backends = ['webgpu', 'webgl', 'wasm'];
const params = new URLSearchParams(location.search);
const runs = Number(params.get('runs') ?? 10);
const warmup = Number(params.get('warmup') ?? 3);

export interface BenchRow {
  readonly model: string;
  readonly mflops: number;
  readonly backend: string;
  readonly label: string;
  readonly medianMs?: number;
  readonly p25Ms?: number;
  readonly p75Ms?: number;
  readonly error?: string;
}

const out = document.getElementById('out')!;
const rows: BenchRow[] = [];
const log = (line: string) => {
  out.textContent += `${line}\n`;
};

async function main(): Promise<void> {
  out.textContent = '';
  const infos = await probeBackends(backends);
  const runsByUrl = new Map<string, Awaited<ReturnType<typeof loadRun>>>();
  for (const model of models) {
    if (!runsByUrl.has(model.run))
      runsByUrl.set(model.run, await loadRun(httpSource(new URL(model.run, location.href).href)));
  }
  for (const info of infos) {
    const label = describeBackend(info);
    log(`${label}${info.available ? '' : `: ${info.reason}`}`);
    if (!info.available) continue;
    await useBackend(info.name);
    for (const model of models) {
      const run = runsByUrl.get(model.run)!;
      const subnet = run.subnets.find((candidate) => candidate.path === model.folder)!;
      const row = { model: model.name, mflops: subnet.metadata.mflops, backend: info.name, label };
      try {
        const graph = await loadSubnetModel(run.source, subnet.path);
        try {
          const latency = await measureLatency(graphModelRunner(graph, subnet.metadata), {
            warmup,
            runs,
          });
          rows.push({
            ...row,
            medianMs: latency.medianMs,
            p25Ms: latency.p25Ms,
            p75Ms: latency.p75Ms,
          });
          log(
            `  ${model.name.padEnd(16)} ${latency.medianMs.toFixed(2).padStart(9)} ms median (p25-p75 ${latency.p25Ms.toFixed(2)}-${latency.p75Ms.toFixed(2)})`,
          );
        } finally {
          graph.dispose();
        }
      } catch (error) {
        rows.push({ ...row, error: error instanceof Error ? error.message : String(error) });
        log(`  ${model.name}: failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

main()
  .catch((error: unknown) =>
    log(`bench failed: ${error instanceof Error ? error.message : String(error)}`),
  )
  .finally(() => {
    (globalThis as { benchRows?: BenchRow[] }).benchRows = rows;
    document.title = 'bench done';
  });
