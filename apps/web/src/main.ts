import './backends.js';
import {
  type ArtifactSource,
  cachedSource,
  classify,
  connectSearchWorker,
  type DeviceBudget,
  deviceKey,
  filesSource,
  fitLatencyModel,
  graphModelRunner,
  httpSource,
  latencyTable,
  loadRun,
  loadSubnetModel,
  type PickedFile,
  pickBackend,
  probeBackends,
  readJson,
  searchForDevice,
  webgpuAdapterInfo,
} from '@supernas/evaluator';
import {
  calibratedArchRunner,
  imageBatches,
  loadRunSupernet,
  supernetArchRunner,
} from '@supernas/evaluator/supernet';
import type { ArchConfig } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { type SampleRecord, type SubnetState, state, subnetLabel } from './app-state.js';
import { loadCalibrationImages } from './calibration-images.js';
import { chosenArch } from './chosen-arch.js';
import { classifyFile, classifySamples, imageFromBytes } from './classify-view.js';
import { DeviceLatencies } from './device-latency.js';
import { $ } from './dom.js';
import { renderDownloads } from './downloads.js';
import { collectDroppedFiles } from './drop.js';
import { describeActive, renderBackends, renderRun } from './render-run.js';
import { renderSearch } from './render-search.js';

const statusText = $('status');
const progressBar = $<HTMLProgressElement>('progress');
const searchClient = connectSearchWorker(
  new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' }),
);

function progress(text: string, fraction?: number): void {
  statusText.textContent = text;
  statusText.classList.remove('error');
  progressBar.hidden = fraction === undefined;
  if (fraction !== undefined) progressBar.value = fraction;
}

function fail(error: unknown): void {
  console.error(error);
  statusText.textContent = `Error: ${error instanceof Error ? error.message : String(error)}`;
  statusText.classList.add('error');
  progressBar.hidden = true;
}

/** The subnet the backends are timed on: the largest, where backends differ most. */
function referenceSubnet(): SubnetState {
  return state.subnets.reduce((a, b) =>
    b.subnet.metadata.mflops > a.subnet.metadata.mflops ? b : a,
  );
}

async function loadSource(source: ArtifactSource): Promise<void> {
  disposeModels();
  progress('Reading the run…', 0);
  const run = await loadRun(cachedSource(source));
  state.run = run;
  state.subnets = run.subnets.map((subnet) => ({ subnet, label: subnetLabel(subnet.path) }));
  state.samples =
    run.manifest.samples === undefined
      ? []
      : (await readJson<{ samples: SampleRecord[] }>(run.source, run.manifest.samples)).samples;
  state.predictorJson =
    run.manifest.predictor === undefined
      ? undefined
      : await readJson(run.source, run.manifest.predictor);
  $('main').hidden = false;
  renderRun();
  await chooseBackend($<HTMLSelectElement>('backend-select').value);
}

function disposeModels(): void {
  state.chosen?.dispose();
  state.chosen = undefined;
  for (const subnet of state.subnets) {
    subnet.model?.dispose();
    subnet.model = undefined;
    subnet.runner = undefined;
  }
  state.supernet?.dispose();
  state.supernet = undefined;
  tf.dispose(state.calibration?.images ?? []);
  state.calibration = undefined;
}

async function loadModels(): Promise<void> {
  const run = state.run!;
  disposeModels();
  for (const [index, subnet] of state.subnets.entries()) {
    progress(`Loading ${subnet.label} on ${tf.getBackend()}…`, index / state.subnets.length);
    subnet.model = await loadSubnetModel(run.source, subnet.subnet.path);
    subnet.runner = graphModelRunner(subnet.model, subnet.subnet.metadata);
  }
  // The supernet runs any arch of the space, so a search is not limited to the exported subnets.
  if (run.manifest.checkpoint !== undefined) {
    progress(`Loading the supernet on ${tf.getBackend()}…`, 1);
    state.supernet = (await loadRunSupernet(run.source, run.manifest.checkpoint)).supernet;
    state.calibration = await loadCalibrationImages(run);
  }
}

async function chooseBackend(mode: string): Promise<void> {
  const run = state.run!;
  disposeModels();
  const reference = referenceSubnet();
  const names = ['webgpu', 'webgl', 'wasm', 'cpu'];
  progress(`Timing ${reference.label} on ${mode === 'auto' ? names.join(', ') : mode}…`, 0);
  let done = 0;
  const previous = state.backendChoice;
  state.backendChoice = await pickBackend(
    async () => {
      const model = await loadSubnetModel(run.source, reference.subnet.path);
      return {
        ...graphModelRunner(model, reference.subnet.metadata),
        dispose: () => model.dispose(),
      };
    },
    {
      ...(mode === 'auto' ? {} : { force: mode }),
      warmup: 3,
      runs: 10,
      onProgress: () => progress(`Timing backends (${++done} runs)…`, Math.min(1, done / 40)),
    },
  );
  // A forced backend is not timed against the others: keep the table of the last comparison.
  if (mode !== 'auto' && previous !== undefined)
    state.backendChoice = { ...state.backendChoice, timings: previous.timings };
  const active = state.backendChoice.timings.find(
    (timing) => timing.backend.name === state.backendChoice!.backend,
  );
  const adapter = active?.backend.adapter;
  state.device = deviceKey(
    state.backendChoice.backend,
    adapter === undefined
      ? ''
      : `${adapter.vendor} ${adapter.architecture || adapter.description}`.trim(),
  );
  renderBackends();
  await loadModels();
  await measureAll();
  setupBudgetSlider();
  await runSearch();
}

async function measureAll(): Promise<void> {
  const run = state.run!;
  const archs = new Map(
    state.subnets.map((subnet) => [subnet.subnet.metadata.archKey, subnet.subnet.metadata.arch]),
  );
  const latencies = await DeviceLatencies.open(latencyTable(), state.device!, archs);
  state.latencies = latencies;
  const total = state.subnets.length;
  for (const [index, subnet] of state.subnets.entries()) {
    progress(
      `Measuring ${subnet.label} on ${tf.getBackend()} (${index + 1}/${total})…`,
      index / total,
    );
    const entry = await latencies.latencyOf(
      subnet.subnet.metadata.arch,
      () => ({ ...subnet.runner!, dispose: () => {} }),
      (done, runs) =>
        progress(
          `Measuring ${subnet.label} on ${tf.getBackend()} (${index + 1}/${total}), run ${done}/${runs}…`,
          (index + done / runs) / total,
        ),
    );
    subnet.latency = entry.measurement;
  }
  fitModel(run);
}

/** Refits the latency model on every arch measured on this device (now or on earlier visits). */
function fitModel(run: NonNullable<typeof state.run>): void {
  const first = state.subnets[0]!.subnet.metadata;
  const points = state.latencies!.points();
  state.latencyModel =
    points.length >= 2
      ? fitLatencyModel(run.space, points, {
          numClasses: first.numClasses,
          inputChannels: first.inputShape[3]!,
        })
      : undefined;
}

/** The searches' measure step: an arch of the supernet timed here, unless the table has it. */
async function measureArch(arch: ArchConfig): Promise<number> {
  const entry = await state.latencies!.latencyOf(
    arch,
    () => supernetArchRunner(state.supernet!, arch),
    (done, runs) =>
      progress(`Measuring the chosen arch on ${tf.getBackend()}, run ${done}/${runs}…`),
  );
  return entry.measurement.medianMs;
}

function budgetKind(): 'latency' | 'mflops' {
  return (document.querySelector('input[name="budget-kind"]:checked') as HTMLInputElement).value as
    | 'latency'
    | 'mflops';
}

function costs(kind: 'latency' | 'mflops'): number[] {
  return state.subnets.map((subnet) =>
    kind === 'latency' ? subnet.latency!.medianMs : subnet.subnet.metadata.mflops,
  );
}

function setupBudgetSlider(): void {
  const slider = $<HTMLInputElement>('budget');
  const values = costs(budgetKind());
  const low = Math.min(...values);
  const high = Math.max(...values);
  slider.min = String(low);
  slider.max = String(high * 1.05);
  slider.step = String((high * 1.05 - low) / 200);
  slider.value = slider.max;
  showBudget();
}

function showBudget(): void {
  const value = Number($<HTMLInputElement>('budget').value);
  $('budget-value').textContent =
    budgetKind() === 'latency' ? `${value.toFixed(2)} ms` : `${value.toFixed(3)} MFLOPs`;
}

function currentBudget(): DeviceBudget {
  const value = Number($<HTMLInputElement>('budget').value);
  return budgetKind() === 'latency' ? { maxLatencyMs: value } : { maxMflops: value };
}

let searches: Promise<void> = Promise.resolve();
/**
 * Searches one at a time: a search may time an arch and calibrate the shared supernet's BN,
 * which another search running at once (a moving slider) would interleave with.
 */
function runSearch(budget: DeviceBudget = currentBudget()): Promise<void> {
  const next = searches.then(() => searchOnce(budget));
  searches = next.catch(() => {});
  return next;
}

async function searchOnce(budget: DeviceBudget): Promise<void> {
  const run = state.run!;
  const first = state.subnets[0]!.subnet.metadata;
  const evolutionary = state.predictorJson !== undefined && state.supernet !== undefined;
  progress(evolutionary ? "Searching the space with the run's predictor…" : 'Searching…');
  if (!evolutionary && state.subnets.every((subnet) => subnet.subnet.metadata.top1 === undefined)) {
    fail(
      new Error('no subnet of this run has a test top-1 (export them with supernas export --eval)'),
    );
    return;
  }
  const exported = new Set(state.subnets.map((subnet) => subnet.subnet.metadata.archKey));
  state.chosen?.dispose();
  state.chosen = undefined;
  try {
    state.result = await searchForDevice(
      searchClient,
      {
        space: run.space.name,
        numClasses: first.numClasses,
        inputChannels: first.inputShape[3]!,
        budget,
        known: [
          // Only subnets exported with --eval carry a test top-1.
          ...state.subnets.map((subnet) => ({
            arch: subnet.subnet.metadata.arch,
            ...(subnet.subnet.metadata.top1 === undefined
              ? {}
              : { accuracy: subnet.subnet.metadata.top1 }),
            latencyMs: subnet.latency!.medianMs,
          })),
          // Archs of the supernet measured here before (this visit or an earlier one).
          ...[...state.latencies!.byKey.values()]
            .filter((entry) => !exported.has(entry.key))
            .map((entry) => ({ arch: entry.arch, latencyMs: entry.measurement.medianMs })),
        ],
        ...(state.latencyModel === undefined ? {} : { latencyModel: state.latencyModel }),
        ...(evolutionary
          ? { predictor: { json: state.predictorJson, seed: Number(run.config?.seed ?? 0) } }
          : {}),
      },
      evolutionary ? { measure: measureArch, maxMeasurements: 10 } : {},
    );
  } catch (error) {
    state.result = undefined;
    renderSearch(budget);
    fail(error);
    return;
  }
  if (state.result.measured.length > 0) fitModel(run);
  if (state.result.chosen.accuracySource === 'predicted' && state.calibration !== undefined)
    progress('Calibrating BN of the chosen arch on training images…');
  state.chosen = await chosenArch(state.result.chosen);
  renderSearch(budget);
  await renderDownloads();
  await classifySamples();
  const { chosen } = state.result;
  progress(
    `Ready: ${state.chosen.label} on ${describeActive()}, ${chosen.latencyMs?.toFixed(2) ?? '?'} ms median (${chosen.latencySource ?? 'not measured'}), ${(100 * chosen.accuracy).toFixed(1)}% ${chosen.accuracySource === 'predicted' ? 'predicted' : 'test'} top-1.`,
  );
}

// `?backend=wasm` (or webgpu, webgl, cpu) starts on that backend instead of timing them all.
const backendParameter = new URLSearchParams(location.search).get('backend');
const backendSelect = $<HTMLSelectElement>('backend-select');
if ([...backendSelect.options].some((option) => option.value === backendParameter))
  backendSelect.value = backendParameter!;

// Events.
const run = (task: () => Promise<void>) => () => {
  task().catch(fail);
};
$('load-demo').addEventListener(
  'click',
  run(() => loadSource(httpSource(new URL('demo/', document.baseURI).href))),
);
$('source-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const url = $<HTMLInputElement>('run-url').value.trim();
  if (url !== '') run(() => loadSource(httpSource(url)))();
});
$<HTMLInputElement>('run-folder').addEventListener('change', (event) => {
  const files = [...((event.target as HTMLInputElement).files ?? [])];
  const picked: PickedFile[] = files.map((file) => ({
    path: file.webkitRelativePath || file.name,
    file,
  }));
  run(() =>
    loadSource(filesSource(picked, files[0]?.webkitRelativePath.split('/')[0] ?? 'picked')),
  )();
});
$<HTMLInputElement>('image-input').addEventListener('change', (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file !== undefined) run(() => classifyFile(file))();
});
$('backend-select').addEventListener('change', (event) => {
  run(() => chooseBackend((event.target as HTMLSelectElement).value))();
});
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="budget-kind"]')) {
  radio.addEventListener('change', () => {
    if (state.run === undefined) return;
    setupBudgetSlider();
    run(() => runSearch())();
  });
}
let searchTimer: ReturnType<typeof setTimeout> | undefined;
$('budget').addEventListener('input', () => {
  showBudget();
  clearTimeout(searchTimer);
  searchTimer = setTimeout(
    run(() => runSearch()),
    150,
  );
});
document.addEventListener('dragover', (event) => event.preventDefault());
document.addEventListener('drop', (event) => {
  event.preventDefault();
  run(async () => {
    const dropped = await collectDroppedFiles(event.dataTransfer!);
    if (
      dropped.length === 1 &&
      dropped[0]!.file.type.startsWith('image/') &&
      state.run !== undefined
    )
      await classifyFile(dropped[0]!.file as File);
    else if (dropped.length > 0) await loadSource(filesSource(dropped, 'dropped'));
  })();
});

// A handle for the end-to-end tests and the console: same code paths as the UI.
const testApi = {
  state,
  loadDemo: () => loadSource(httpSource(new URL('demo/', document.baseURI).href)),
  chooseBackend,
  search: runSearch,
  /** Times an arch of the supernet as the searches do (or reads it from the latency table). */
  measureArch,
  probeBackends,
  webgpuAdapterInfo,
  /** Logits of a sample image through the app's preprocessing, on the active backend. */
  async sampleLogits(subnetPath: string, file: string): Promise<number[]> {
    const subnet = state.subnets.find((candidate) => candidate.subnet.path === subnetPath)!;
    const image = await imageFromBytes(await state.run!.source.readBytes(file));
    const { logits } = await classify(subnet.runner!, subnet.subnet.metadata, image, { topK: 1 });
    return Array.from(logits);
  },
  /** Logits of sample images from `arch` run from the supernet, BN calibrated here. */
  async supernetLogits(arch: ArchConfig, files: readonly string[]): Promise<number[][]> {
    const { metadata } = state.subnets[0]!.subnet;
    const calibration = state.calibration!;
    const shaped = {
      ...metadata,
      inputShape: [-1, arch.resolution, arch.resolution, metadata.inputShape[3]!],
    };
    const runner = await calibratedArchRunner(
      state.supernet!,
      arch,
      imageBatches(calibration.images, shaped, calibration.batchSize),
    );
    try {
      const rows: number[][] = [];
      for (const file of files) {
        const image = await imageFromBytes(await state.run!.source.readBytes(file));
        rows.push(Array.from((await classify(runner, shaped, image, { topK: 1 })).logits));
      }
      return rows;
    } finally {
      runner.dispose();
    }
  },
  /** Logits of a sample image from the chosen arch, as the page classifies it. */
  async chosenLogits(file: string): Promise<number[]> {
    const chosen = state.chosen!;
    const image = await imageFromBytes(await state.run!.source.readBytes(file));
    return Array.from((await classify(chosen.runner, chosen.metadata, image, { topK: 1 })).logits);
  },
  /** Which archs were timed on this visit and which latencies came from the table. */
  latencies: () => ({
    device: state.latencies?.device,
    measuredNow: [...(state.latencies?.measuredNow ?? [])],
    earlier: [...(state.latencies?.byKey.values() ?? [])]
      .filter((entry) => entry.earlier)
      .map((entry) => entry.key),
  }),
  backend: () => tf.getBackend(),
};
(globalThis as { supernasApp?: typeof testApi }).supernasApp = testApi;
