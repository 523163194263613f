import type { Supernet } from '@supernas/elastic';
import type {
  BackendChoice,
  DeviceSearchResult,
  ExportMetadata,
  LatencyMeasurement,
  LatencyModel,
  LoadedRun,
  RunSubnet,
  SubnetRunner,
} from '@supernas/evaluator';
import type { ArchConfig } from '@supernas/search-space';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { CalibrationImages } from './calibration-images.js';
import type { DeviceLatencies } from './device-latency.js';

export interface SampleRecord {
  readonly file: string;
  readonly index: number;
  readonly label: number;
  readonly labelName: string;
  /** The run's logits for this image, per subnet folder (computed in Node by make-demo-run). */
  readonly logits: Record<string, number[]>;
}

export interface SubnetState {
  readonly subnet: RunSubnet;
  readonly label: string;
  model?: GraphModel;
  runner?: SubnetRunner;
  latency?: LatencyMeasurement;
}

/** The arch a search chose: an exported subnet, or any arch of the space run from the supernet. */
export interface ChosenArch {
  readonly label: string;
  readonly arch: ArchConfig;
  readonly key: string;
  /** The preprocessing, class names and shape `classify` reads. */
  readonly metadata: ExportMetadata;
  readonly runner: SubnetRunner;
  /** Set when the chosen arch is one of the run's exported subnets. */
  readonly exported?: SubnetState;
  dispose(): void;
}

export interface AppState {
  run?: LoadedRun;
  subnets: SubnetState[];
  samples: SampleRecord[];
  /** The run's `predictor.json`, parsed. */
  predictorJson?: unknown;
  /** The run's supernet, on the active backend, when the run ships its checkpoint. */
  supernet?: Supernet;
  /** Training images for BN calibration of archs run from the supernet. */
  calibration?: CalibrationImages;
  backendChoice?: BackendChoice;
  device?: string;
  latencies?: DeviceLatencies;
  latencyModel?: LatencyModel;
  result?: DeviceSearchResult;
  chosen?: ChosenArch;
}

export const state: AppState = { subnets: [], samples: [] };

/** The subnet's folder name: `subnets/min` -> `min`. */
export function subnetLabel(path: string): string {
  const parts = path.split('/').filter((part) => part !== '');
  return parts[parts.length - 1] ?? path;
}
