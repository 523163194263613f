import { type GraphModel, loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { type ArtifactSource, joinPath, readJson } from './artifact-source.js';
import { RunArtifactError } from './errors.js';

/**
 * A `tf.io` load handler over an artifact source: reads `model.json` at `modelPath` and the
 * weight shards it names, relative to its folder. Works for graph models and checkpoints alike.
 */
export function sourceLoadHandler(source: ArtifactSource, modelPath: string): tf.io.IOHandler {
  const folder = modelPath.includes('/') ? modelPath.slice(0, modelPath.lastIndexOf('/')) : '';
  return {
    load: async () => {
      const modelJson = await readJson<tf.io.ModelJSON>(source, modelPath);
      if (modelJson.modelTopology === undefined || modelJson.weightsManifest === undefined) {
        throw new RunArtifactError(
          `${source.id}${modelPath}`,
          'is not a tfjs model.json (no modelTopology or weightsManifest)',
        );
      }
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const paths = manifest.flatMap((group) =>
          group.paths.map((path) => joinPath(folder, path)),
        );
        const shards = await Promise.all(paths.map((path) => source.readBytes(path)));
        return [tf.io.getWeightSpecs(manifest), tf.io.concatenateArrayBuffers(shards)];
      });
    },
  };
}

/** Loads an exported subnet's tfjs graph model (`<folder>/model.json`) from a run. */
export async function loadSubnetModel(source: ArtifactSource, folder: string): Promise<GraphModel> {
  return loadGraphModel(sourceLoadHandler(source, joinPath(folder, 'model.json')));
}
