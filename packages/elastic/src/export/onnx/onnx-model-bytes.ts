import onnxProto from 'onnx-proto';
import { foldBatchNorm as fold } from '../../fold-batch-norm.js';
import type { StaticSubnet } from '../../types.js';
import type { OnnxExportOptions } from './export-onnx.js';
import { metadataProps, type OnnxModelMetadata, onnxFormatVersion } from './onnx-metadata.js';
import { onnxInputName, onnxOutputName, subnetToOnnxGraph } from './subnet-to-onnx-graph.js';

const { onnx } = onnxProto;

/** ONNX IR version 8 (ONNX 1.10, the schema onnx-proto 8 ships) with the default-domain opset 14. */
export const onnxIrVersion = 8;
export const onnxOpsetVersion = 14;

function valueInfo(
  name: string,
  dims: readonly (number | string)[],
): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: {
          dim: dims.map((dim) => (typeof dim === 'string' ? { dimParam: dim } : { dimValue: dim })),
        },
      },
    },
  };
}

/**
 * The serialized ONNX ModelProto of `subnet` (loaded lazily by `exportOnnx`, so the protobuf
 * code stays out of bundles that never export ONNX).
 */
export async function onnxModelBytes(
  subnet: StaticSubnet,
  options: OnnxExportOptions,
): Promise<Uint8Array> {
  const shouldFold = options.foldBatchNorm ?? true;
  const inputLayout = options.inputLayout ?? 'NHWC';
  const source = shouldFold ? fold(subnet) : subnet;
  try {
    const { builder, inputShape } = subnetToOnnxGraph(source, inputLayout);
    try {
      const initializer = await builder.finish();
      const { resolution } = subnet.arch;
      const metadata: OnnxModelMetadata = {
        format: 'supernas-onnx',
        formatVersion: onnxFormatVersion,
        spaceName: subnet.space.name,
        space: subnet.space,
        arch: subnet.arch,
        numClasses: subnet.numClasses,
        inputChannels: subnet.inputChannels,
        resolution,
        inputName: onnxInputName,
        outputName: onnxOutputName,
        inputLayout,
        inputShape: inputShape.map((dim) => (dim === 'batch' ? -1 : dim)),
        foldedBatchNorm: shouldFold,
        ...(options.normalization === undefined ? {} : { normalization: options.normalization }),
        ...(options.classNames === undefined ? {} : { classNames: options.classNames }),
      };
      const normalization =
        options.normalization === undefined
          ? 'as the model was trained on'
          : `normalised per channel as (x - ${JSON.stringify(options.normalization.mean)}) / ${JSON.stringify(options.normalization.std)}`;
      const model: onnxProto.onnx.IModelProto = {
        irVersion: onnxIrVersion,
        opsetImport: [{ domain: '', version: onnxOpsetVersion }],
        producerName: '@supernas/elastic',
        docString: `supernas subnet of space '${subnet.space.name}', arch ${JSON.stringify(subnet.arch)}. Input '${onnxInputName}': float32 ${inputLayout} [${inputShape.join(', ')}], ${normalization}. Output '${onnxOutputName}': logits [batch, ${subnet.numClasses}].`,
        metadataProps: metadataProps(metadata),
        graph: {
          name: `supernas_${subnet.space.name}_subnet`,
          node: builder.nodes,
          initializer,
          input: [valueInfo(onnxInputName, inputShape)],
          output: [valueInfo(onnxOutputName, ['batch', subnet.numClasses])],
        },
      };
      return onnx.ModelProto.encode(model).finish();
    } finally {
      builder.dispose();
    }
  } finally {
    if (source !== subnet) for (const tensor of source.weights.values()) tensor.dispose();
  }
}
