export { type ArtifactSource, joinPath, readJson } from './artifact-source.js';
export {
  type AdapterInfo,
  type BackendInfo,
  describeBackend,
  type EvaluatorBackend,
  evaluatorBackends,
  probeBackends,
  useBackend,
  webgpuAdapterInfo,
} from './backends.js';
export { artifactStore, cachedSource } from './cached-source.js';
export { type Classification, classify, type Prediction } from './classify.js';
export {
  BackendUnavailableError,
  EvaluatorOptionError,
  NoArchWithinBudgetError,
  RunArtifactError,
} from './errors.js';
export { type ExportMetadata, parseExportMetadata } from './export-metadata.js';
export { filesSource, type PickedFile } from './files-source.js';
export { type HttpSourceOptions, httpSource } from './http-source.js';
export {
  type FitLatencyModelOptions,
  fitLatencyModel,
  type LatencyModel,
  latencyFeatureNames,
  latencyFeatures,
  predictLatency,
} from './latency-model.js';
export { type LatencyStats, latencyStats, quantile } from './latency-stats.js';
export { deviceKey, type LatencyRecord, type LatencyTable, latencyTable } from './latency-table.js';
export {
  type LoadedRun,
  loadRun,
  parseJsonLines,
  type RunSubnet,
  type WebRunManifest,
  webRunManifestName,
} from './load-run.js';
export { loadSubnetModel, sourceLoadHandler } from './load-subnet-model.js';
export {
  type LatencyMeasurement,
  type MeasureLatencyOptions,
  measureLatency,
} from './measure-latency.js';
export { bestWithinBudget, paretoFront, type TradeOff } from './pareto-front.js';
export {
  type BackendChoice,
  type BackendTiming,
  type LoadedRunner,
  type PickBackendOptions,
  pickBackend,
} from './pick-backend.js';
export { type ImageInput, preprocessImage } from './preprocess-image.js';
export {
  connectSearchWorker,
  type DeviceSearchResult,
  type SearchForDeviceOptions,
  type SearchWorkerClient,
  searchForDevice,
} from './search-for-device.js';
export {
  type AccuracyPredictor,
  type DeviceBudget,
  type KnownArch,
  type PredictorLoader,
  type PredictorSearch,
  runSearch,
  type SearchCandidate,
  type SearchRequest,
  type SearchResult,
} from './search-problem.js';
export type { SearchWorkerApi } from './search-worker.js';
export { graphModelRunner, type SubnetRunner } from './subnet-runner.js';
