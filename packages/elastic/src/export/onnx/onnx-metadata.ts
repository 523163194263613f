import type { StaticSubnet } from '../../types.js';
import type { OnnxInputLayout } from './subnet-to-onnx-graph.js';

/** Version of the supernas metadata an exported ONNX model carries. */
export const onnxFormatVersion = 1;

/** Per-channel normalisation the images need before they reach the model: (x - mean) / std. */
export interface InputNormalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * What an exported ONNX model records about itself. Each field is one `metadata_props` entry
 * (key = field name, value = its JSON), so tools that list them show each.
 */
export interface OnnxModelMetadata {
  readonly format: 'supernas-onnx';
  readonly formatVersion: typeof onnxFormatVersion;
  readonly spaceName: string;
  readonly space: StaticSubnet['space'];
  readonly arch: StaticSubnet['arch'];
  readonly numClasses: number;
  readonly inputChannels: number;
  readonly resolution: number;
  readonly inputName: string;
  readonly outputName: string;
  readonly inputLayout: OnnxInputLayout;
  /** Dims of the input, -1 for the batch. */
  readonly inputShape: readonly number[];
  readonly foldedBatchNorm: boolean;
  /** Absent when the caller did not say how the images are normalised. */
  readonly normalization?: InputNormalization;
  readonly classNames?: readonly string[];
}

/** `metadata` as ONNX `metadata_props` entries, one per field, each value JSON. */
export function metadataProps(metadata: OnnxModelMetadata): { key: string; value: string }[] {
  return Object.entries(metadata)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ({ key, value: JSON.stringify(value) }));
}
