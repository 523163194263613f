import * as tf from '@tensorflow/tfjs-core';
import { foldBatchNorm as fold } from '../fold-batch-norm.js';
import type { StaticSubnet } from '../types.js';
import { graphInputName, graphOutputName, subnetToGraphDef } from './subnet-to-graph-def.js';

/** Version of the `supernas` block in an exported graph model's `userDefinedMetadata`. */
export const graphModelFormatVersion = 1;

export interface GraphModelOptions {
  /** Fold conv-following batchNorms into the convs first (fewer ops, same predictions). Default true. */
  readonly foldBatchNorm?: boolean;
}

/** What an exported graph model records about itself under `userDefinedMetadata.supernas`. */
export interface GraphModelMetadata {
  readonly format: 'supernas-graph-model';
  readonly formatVersion: typeof graphModelFormatVersion;
  readonly spaceName: string;
  readonly space: StaticSubnet['space'];
  readonly arch: StaticSubnet['arch'];
  readonly numClasses: number;
  readonly inputChannels: number;
  readonly resolution: number;
  readonly inputName: string;
  readonly outputName: string;
  readonly foldedBatchNorm: boolean;
}

/**
 * The tfjs graph-model artifacts of a static subnet, for any `tf.io` handler or for
 * `tf.loadGraphModel(tf.io.fromMemory(artifacts))`. The model needs only tfjs-converter to run.
 */
export async function graphModelArtifacts(
  subnet: StaticSubnet,
  options: GraphModelOptions = {},
): Promise<tf.io.ModelArtifacts> {
  const shouldFold = options.foldBatchNorm ?? true;
  const source = shouldFold ? fold(subnet) : subnet;
  try {
    const graph = subnetToGraphDef(source);
    try {
      const { data, specs } = await tf.io.encodeWeights(
        graph.constants.map(({ name, tensor }) => ({ name, tensor })),
      );
      const metadata: GraphModelMetadata = {
        format: 'supernas-graph-model',
        formatVersion: graphModelFormatVersion,
        spaceName: subnet.space.name,
        space: subnet.space,
        arch: subnet.arch,
        numClasses: subnet.numClasses,
        inputChannels: subnet.inputChannels,
        resolution: subnet.arch.resolution,
        inputName: graphInputName,
        outputName: graphOutputName,
        foldedBatchNorm: shouldFold,
      };
      return {
        modelTopology: JSON.parse(JSON.stringify(graph.graphDef)) as object,
        format: 'graph-model',
        generatedBy: '@supernas/elastic',
        convertedBy: '@supernas/elastic exportGraphModel',
        signature: graph.signature,
        userDefinedMetadata: { supernas: JSON.parse(JSON.stringify(metadata)) as object },
        weightSpecs: specs,
        weightData: data,
      };
    } finally {
      for (const { tensor, owned } of graph.constants) if (owned) tensor.dispose();
    }
  } finally {
    if (source !== subnet) for (const tensor of source.weights.values()) tensor.dispose();
  }
}
