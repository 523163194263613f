import type {
  BackendChoice,
  LatencyMeasurement,
  LatencyModel,
  LoadedRun,
  RunSubnet,
  SearchResult,
  SubnetRunner,
} from '@supernas/evaluator';
import type { GraphModel } from '@tensorflow/tfjs-converter';

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

export interface AppState {
  run?: LoadedRun;
  subnets: SubnetState[];
  samples: SampleRecord[];
  backendChoice?: BackendChoice;
  device?: string;
  latencyModel?: LatencyModel;
  result?: SearchResult;
}

export const state: AppState = { subnets: [], samples: [] };

/** The subnet's folder name: `subnets/min` -> `min`. */
export function subnetLabel(path: string): string {
  const parts = path.split('/').filter((part) => part !== '');
  return parts[parts.length - 1] ?? path;
}
