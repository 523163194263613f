import { ElasticOptionError } from '../../errors.js';
import type { StaticSubnet } from '../../types.js';
import type { InputNormalization } from './onnx-metadata.js';
import type { OnnxInputLayout } from './subnet-to-onnx-graph.js';

export interface OnnxExportOptions {
  /** Fold conv-following batchNorms into the convs first (fewer ops, same predictions). Default true. */
  readonly foldBatchNorm?: boolean;
  /**
   * `NHWC` (default): the model takes [N, resolution, resolution, channels] as the tfjs models
   * do and transposes to NCHW in its first node. `NCHW`: it takes [N, channels, resolution,
   * resolution], ONNX's own layout, with no transpose.
   */
  readonly inputLayout?: OnnxInputLayout;
  /** Recorded in the metadata (the model does not normalise): what the images need first. */
  readonly normalization?: InputNormalization;
  /** Recorded in the metadata: one name per class, in logit order. */
  readonly classNames?: readonly string[];
}

/**
 * The static subnet as a serialized ONNX model (opset 14) that onnxruntime runs with no
 * supernas package: input `input`, float32 images (NHWC by default), output `logits`
 * [batch, numClasses], equal to `runStaticSubnet` to float32 rounding. Batch norms are folded
 * into the convs as `exportGraphModel` does. The space, arch, input shape and layout, and the
 * normalisation and class names when given, are in `metadata_props` (one JSON value per key)
 * and the doc string. Write the bytes to a `.onnx` file, or hand them to
 * `InferenceSession.create`.
 */
export async function exportOnnx(
  subnet: StaticSubnet,
  options: OnnxExportOptions = {},
): Promise<Uint8Array> {
  checkOptions(subnet, options);
  // The protobuf code loads only here, so bundles that never export ONNX leave it out.
  const { onnxModelBytes } = await import('./onnx-model-bytes.js');
  return onnxModelBytes(subnet, options);
}

function checkOptions(subnet: StaticSubnet, options: OnnxExportOptions): void {
  const { inputLayout, normalization, classNames } = options;
  if (inputLayout !== undefined && inputLayout !== 'NHWC' && inputLayout !== 'NCHW')
    throw new ElasticOptionError('exportOnnx: inputLayout', inputLayout, "'NHWC' or 'NCHW'");
  if (normalization !== undefined) {
    for (const field of ['mean', 'std'] as const) {
      const values = normalization[field];
      const valid =
        Array.isArray(values) &&
        values.length === subnet.inputChannels &&
        values.every((value) => Number.isFinite(value) && (field === 'mean' || value > 0));
      if (!valid) {
        throw new ElasticOptionError(
          `exportOnnx: normalization.${field}`,
          values,
          `${subnet.inputChannels} finite numbers (one per input channel${field === 'std' ? ', each > 0' : ''})`,
        );
      }
    }
  }
  if (
    classNames !== undefined &&
    (!Array.isArray(classNames) ||
      classNames.length !== subnet.numClasses ||
      !classNames.every((name) => typeof name === 'string'))
  ) {
    throw new ElasticOptionError(
      'exportOnnx: classNames',
      classNames,
      `${subnet.numClasses} strings (one per class)`,
    );
  }
}
