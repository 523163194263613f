import * as tf from '@tensorflow/tfjs-core';
import type { Supernet } from '../types.js';
import { CheckpointError } from './checkpoint-error.js';
import {
  type CheckpointableOptimizer,
  type CheckpointTopology,
  checkpointFormat,
  checkpointFormatVersion,
  type OptimizerStateTensor,
  optimizerWeightPrefix,
} from './checkpoint-format.js';
import { crc32Hex } from './crc32.js';
import { optimizerName } from './optimizer-name.js';
import { toPortableOptimizerNames } from './optimizer-weight-names.js';
import { resolveSaveHandler, type UrlOrHandler } from './resolve-io-handler.js';

export interface SaveSupernetOptions {
  /** Saved with its state (momentum buffers, iteration count) so training resumes exactly. */
  readonly optimizer?: CheckpointableOptimizer;
  /** Training step the checkpoint was taken at. */
  readonly step?: number;
  /** Any JSON-serialisable record (run config, epoch, metrics); stored as given. */
  readonly metadata?: Record<string, unknown>;
}

/**
 * Saves every supernet weight (trainable and BN statistics), the space, and optionally the
 * optimizer state through a `tf.io` handler or URL. The layout is a tfjs model.json whose
 * `modelTopology` is a `CheckpointTopology`, plus the weights manifest and a CRC-32 of the bytes.
 */
export async function saveSupernet(
  supernet: Supernet,
  urlOrHandler: UrlOrHandler,
  options: SaveSupernetOptions = {},
): Promise<tf.io.SaveResult> {
  const save = resolveSaveHandler(urlOrHandler, 'saveSupernet');
  const step = options.step ?? 0;
  if (!Number.isInteger(step) || step < 0) {
    throw new CheckpointError(
      `saveSupernet: step is ${step}, expected a non-negative integer`,
      step,
      'integer >= 0',
    );
  }
  const named: OptimizerStateTensor[] = [];
  for (const [key, variable] of supernet.variables) {
    if (key.startsWith(optimizerWeightPrefix)) {
      throw new CheckpointError(
        `saveSupernet: supernet weight '${key}' starts with '${optimizerWeightPrefix}', which checkpoints reserve for optimizer state`,
        key,
        `a name not starting with '${optimizerWeightPrefix}'`,
      );
    }
    named.push({ name: key, tensor: variable });
  }

  let optimizerTopology: CheckpointTopology['optimizer'] = null;
  let optimizerTensors: OptimizerStateTensor[] = [];
  if (options.optimizer !== undefined) {
    optimizerTensors = await options.optimizer.getWeights();
    const portable = toPortableOptimizerNames(
      optimizerTensors.map(({ name }) => name),
      supernet.variables,
    );
    optimizerTopology = {
      name: optimizerName(options.optimizer),
      config: { ...(options.optimizer.getConfig() as Record<string, unknown>) },
      weights: portable,
    };
    optimizerTensors.forEach(({ tensor }, index) => {
      named.push({ name: optimizerWeightPrefix + portable[index], tensor });
    });
  }

  try {
    const { data, specs } = await tf.io.encodeWeights(named);
    const topology: CheckpointTopology = {
      format: checkpointFormat,
      formatVersion: checkpointFormatVersion,
      space: supernet.space,
      numClasses: supernet.numClasses,
      inputChannels: supernet.inputChannels,
      step,
      metadata: options.metadata ?? {},
      weights: [...supernet.variables.keys()],
      optimizer: optimizerTopology,
      checksum: {
        algorithm: 'crc32',
        value: crc32Hex(new Uint8Array(data)),
        byteLength: data.byteLength,
      },
    };
    const result = await save({
      // A JSON round trip keeps only what model.json will hold, so a handler that stores the
      // object as is (IndexedDB, memory) returns the same thing a file handler would.
      modelTopology: JSON.parse(JSON.stringify(topology)) as object,
      format: checkpointFormat,
      generatedBy: '@supernas/elastic',
      convertedBy: null,
      weightSpecs: specs,
      weightData: data,
    });
    if (result.errors !== undefined && result.errors.length > 0) {
      throw new Error(
        `saveSupernet: the handler reported errors: ${JSON.stringify(result.errors)}`,
      );
    }
    return result;
  } finally {
    // tfjs optimizers hand out live state variables plus freshly made tensors (the iteration
    // count); only the fresh ones are ours to free.
    for (const { tensor } of optimizerTensors) {
      if (!(tensor instanceof tf.Variable)) tensor.dispose();
    }
  }
}
