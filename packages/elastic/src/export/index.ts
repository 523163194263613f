export { exportGraphModel } from './export-graph-model.js';
export {
  type GraphModelMetadata,
  type GraphModelOptions,
  graphModelArtifacts,
  graphModelFormatVersion,
} from './graph-model-artifacts.js';
export * from './onnx/index.js';
export {
  graphInputName,
  graphOutputName,
  type SubnetGraph,
  subnetToGraphDef,
} from './subnet-to-graph-def.js';
