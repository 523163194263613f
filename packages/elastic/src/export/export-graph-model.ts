import type * as tf from '@tensorflow/tfjs-core';
import { resolveSaveHandler, type UrlOrHandler } from '../io/resolve-io-handler.js';
import type { StaticSubnet } from '../types.js';
import { type GraphModelOptions, graphModelArtifacts } from './graph-model-artifacts.js';

/**
 * Writes a static subnet as a tfjs graph model (model.json with `format: 'graph-model'`, a TF
 * GraphDef topology and a weights manifest) through a `tf.io` handler or URL. A plain tfjs app
 * loads it with `tf.loadGraphModel` and no supernas package; `model.predict(x)` takes
 * [N, resolution, resolution, inputChannels] images and returns [N, numClasses] logits.
 */
export async function exportGraphModel(
  subnet: StaticSubnet,
  urlOrHandler: UrlOrHandler,
  options: GraphModelOptions = {},
): Promise<tf.io.SaveResult> {
  const save = resolveSaveHandler(urlOrHandler, 'exportGraphModel');
  const artifacts = await graphModelArtifacts(subnet, options);
  const result = await save(artifacts);
  if (result.errors !== undefined && result.errors.length > 0) {
    throw new Error(
      `exportGraphModel: the handler reported errors: ${JSON.stringify(result.errors)}`,
    );
  }
  return result;
}
