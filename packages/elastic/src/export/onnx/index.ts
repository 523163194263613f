export { exportOnnx, type OnnxExportOptions } from './export-onnx.js';
export {
  type InputNormalization,
  type OnnxModelMetadata,
  onnxFormatVersion,
} from './onnx-metadata.js';
export { type OnnxInputLayout, onnxInputName, onnxOutputName } from './subnet-to-onnx-graph.js';
