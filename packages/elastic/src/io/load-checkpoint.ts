import { formatValue } from '@supernas/errors';
import type { SearchSpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, CorruptWeightsError } from './checkpoint-error.js';
import {
  type Checkpoint,
  type CheckpointOptimizerState,
  type CheckpointTopology,
  checkpointFormat,
  checkpointFormatVersion,
  optimizerWeightPrefix,
} from './checkpoint-format.js';
import { crc32Hex } from './crc32.js';
import { resolveLoadHandler, type UrlOrHandler } from './resolve-io-handler.js';
import { weightSpecsByteLength } from './weight-spec-byte-length.js';

/**
 * Reads a checkpoint written by `saveSupernet`: checks the format, version, weights manifest,
 * byte length and checksum, then decodes the weights. The caller owns the returned tensors
 * (`restoreSupernet` copies them; free them with `disposeCheckpoint`).
 */
export async function loadCheckpoint(urlOrHandler: UrlOrHandler): Promise<Checkpoint> {
  const load = resolveLoadHandler(urlOrHandler, 'loadCheckpoint');
  const source = typeof urlOrHandler === 'string' ? urlOrHandler : 'the given handler';
  const artifacts = await load();
  const topology = parseTopology(artifacts, source);
  const specs = artifacts.weightSpecs ?? [];
  const data =
    artifacts.weightData === undefined
      ? new ArrayBuffer(0)
      : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  checkWeightBytes(topology, specs, data, source);

  const optimizerNames = new Set(
    (topology.optimizer?.weights ?? []).map((name) => optimizerWeightPrefix + name),
  );
  const expectedNames = [...topology.weights, ...optimizerNames];
  const specNames = specs.map((spec) => spec.name);
  if (
    specNames.length !== expectedNames.length ||
    specNames.some((name, index) => name !== expectedNames[index])
  ) {
    throw new CheckpointError(
      `loadCheckpoint: the weights manifest of ${source} lists [${specNames.slice(0, 5).join(', ')}${specNames.length > 5 ? ', ...' : ''}] (${specNames.length} entries), expected the ${expectedNames.length} weights the checkpoint topology names`,
      specNames,
      expectedNames,
    );
  }

  const decoded = tf.io.decodeWeights(data, specs);
  const weights = new Map<string, tf.Tensor>();
  for (const name of topology.weights) weights.set(name, decoded[name] as tf.Tensor);
  let optimizer: CheckpointOptimizerState | undefined;
  if (topology.optimizer !== null) {
    const optimizerWeights = new Map<string, tf.Tensor>();
    for (const name of topology.optimizer.weights) {
      optimizerWeights.set(name, decoded[optimizerWeightPrefix + name] as tf.Tensor);
    }
    optimizer = {
      name: topology.optimizer.name,
      config: topology.optimizer.config,
      weights: optimizerWeights,
    };
  }
  return {
    formatVersion: topology.formatVersion,
    space: topology.space,
    numClasses: topology.numClasses,
    inputChannels: topology.inputChannels,
    step: topology.step,
    metadata: topology.metadata,
    weights,
    ...(optimizer === undefined ? {} : { optimizer }),
  };
}

function parseTopology(artifacts: tf.io.ModelArtifacts, source: string): CheckpointTopology {
  const topology = artifacts.modelTopology;
  const format = isRecord(topology) ? topology.format : undefined;
  if (!isRecord(topology) || format !== checkpointFormat) {
    const found =
      format ?? artifacts.format ?? (topology instanceof ArrayBuffer ? 'binary topology' : 'none');
    throw new CheckpointError(
      `loadCheckpoint: ${source} has format ${formatValue(found)}, expected '${checkpointFormat}' (a model.json written by saveSupernet)`,
      found,
      checkpointFormat,
    );
  }
  if (topology.formatVersion !== checkpointFormatVersion) {
    throw new CheckpointError(
      `loadCheckpoint: ${source} has formatVersion ${formatValue(topology.formatVersion)}, expected ${checkpointFormatVersion}; this version of @supernas/elastic cannot read it`,
      topology.formatVersion,
      checkpointFormatVersion,
    );
  }
  const space = topology.space;
  if (!isRecord(space) || typeof space.name !== 'string' || !Array.isArray(space.stages)) {
    throw new CheckpointError(
      `loadCheckpoint: ${source} has no valid search space`,
      space,
      'a SearchSpace object',
    );
  }
  for (const field of ['numClasses', 'inputChannels', 'step'] as const) {
    const value = topology[field];
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < (field === 'step' ? 0 : 1)
    ) {
      throw new CheckpointError(
        `loadCheckpoint: ${source} has ${field} ${formatValue(value)}, expected an integer >= ${field === 'step' ? 0 : 1}`,
        value,
        'integer',
      );
    }
  }
  if (!Array.isArray(topology.weights) || !isRecord(topology.checksum)) {
    throw new CheckpointError(
      `loadCheckpoint: ${source} lacks the weight list or checksum of a ${checkpointFormat}`,
      topology,
      'weights and checksum fields',
    );
  }
  const optimizer = topology.optimizer;
  if (
    optimizer !== null &&
    optimizer !== undefined &&
    (!isRecord(optimizer) || !Array.isArray(optimizer.weights))
  ) {
    throw new CheckpointError(
      `loadCheckpoint: ${source} has a malformed optimizer entry`,
      optimizer,
      '{ name, config, weights }',
    );
  }
  return {
    ...(topology as unknown as CheckpointTopology),
    space: space as unknown as SearchSpace,
    metadata: isRecord(topology.metadata) ? topology.metadata : {},
    optimizer: (optimizer ?? null) as CheckpointTopology['optimizer'],
  };
}

function checkWeightBytes(
  topology: CheckpointTopology,
  specs: readonly tf.io.WeightsManifestEntry[],
  data: ArrayBuffer,
  source: string,
): void {
  const expectedLength = weightSpecsByteLength(specs);
  if (data.byteLength !== expectedLength || data.byteLength !== topology.checksum.byteLength) {
    throw new CorruptWeightsError(
      `loadCheckpoint: the weights of ${source} are ${data.byteLength} bytes, expected ${topology.checksum.byteLength} (manifest: ${expectedLength}); the weights file is truncated or belongs to another checkpoint`,
      source,
      data.byteLength,
      topology.checksum.byteLength,
    );
  }
  const checksum = crc32Hex(new Uint8Array(data));
  if (checksum !== topology.checksum.value) {
    throw new CorruptWeightsError(
      `loadCheckpoint: the weights of ${source} have CRC-32 ${checksum}, expected ${topology.checksum.value}; the weights file is corrupt or belongs to another checkpoint`,
      source,
      checksum,
      topology.checksum.value,
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof ArrayBuffer);
}
