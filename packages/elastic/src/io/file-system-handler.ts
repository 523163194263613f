import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { SupernasError } from '@supernas/errors';
import * as tf from '@tensorflow/tfjs-core';
import { CorruptWeightsError } from './checkpoint-error.js';
import { weightSpecsByteLength } from './weight-spec-byte-length.js';

/** A model.json or weights file that cannot be read or written as asked. Code `model_file`. */
export class ModelFileError extends SupernasError {
  override readonly name = 'ModelFileError';

  constructor(
    message: string,
    readonly path: string,
    options: { readonly cause?: unknown } = {},
  ) {
    super(message, { code: 'model_file', cause: options.cause });
  }
}

let temporaryCounter = 0;

/**
 * A `tf.io` handler that saves to and loads from a directory in Node: `model.json` plus one
 * weights file. `location` is the directory, or the path of the model.json itself.
 *
 * Saving never leaves a half-written model: the weights go to a new file named after a hash of
 * their bytes, then model.json is replaced by an atomic rename (the commit point), and only then
 * is the previous weights file removed. If anything fails, the previous model stays as it was.
 */
export function fileSystemHandler(location: string): tf.io.IOHandler {
  const modelPath = location.endsWith('.json') ? location : join(location, 'model.json');
  const directory = dirname(modelPath);

  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new ModelFileError(
          `fileSystemHandler: cannot save a binary model topology to ${modelPath}, expected a JSON topology`,
          modelPath,
        );
      }
      const weightBytes = new Uint8Array(
        artifacts.weightData === undefined
          ? new ArrayBuffer(0)
          : tf.io.CompositeArrayBuffer.join(artifacts.weightData),
      );
      const digest = createHash('sha256').update(weightBytes).digest('hex').slice(0, 16);
      const weightsFile = `weights.${digest}.bin`;
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        ...(artifacts.format === undefined ? {} : { format: artifacts.format }),
        ...(artifacts.generatedBy === undefined ? {} : { generatedBy: artifacts.generatedBy }),
        ...(artifacts.convertedBy === undefined ? {} : { convertedBy: artifacts.convertedBy }),
        ...(artifacts.trainingConfig === undefined
          ? {}
          : { trainingConfig: artifacts.trainingConfig }),
        ...(artifacts.signature === undefined ? {} : { signature: artifacts.signature }),
        ...(artifacts.userDefinedMetadata === undefined
          ? {}
          : { userDefinedMetadata: artifacts.userDefinedMetadata }),
        ...(artifacts.modelInitializer === undefined
          ? {}
          : { modelInitializer: artifacts.modelInitializer }),
        ...(artifacts.initializerSignature === undefined
          ? {}
          : { initializerSignature: artifacts.initializerSignature }),
        weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
      };

      await mkdir(directory, { recursive: true });
      const previousFiles = await referencedWeightFiles(modelPath);
      const temporaryFiles: string[] = [];
      try {
        const weightsTemporary = await writeTemporary(
          directory,
          weightsFile,
          weightBytes,
          temporaryFiles,
        );
        await rename(weightsTemporary, join(directory, weightsFile));
        // Until model.json is replaced, a new weights file is garbage if the save fails.
        if (!previousFiles.includes(weightsFile)) temporaryFiles.push(join(directory, weightsFile));
        const modelTemporary = await writeTemporary(
          directory,
          basename(modelPath),
          new TextEncoder().encode(JSON.stringify(modelJson)),
          temporaryFiles,
        );
        await rename(modelTemporary, modelPath);
      } catch (error) {
        await Promise.all(temporaryFiles.map((file) => rm(file, { force: true })));
        throw error;
      }
      await syncDirectory(directory);
      // After the commit: the old weights are unreferenced now, so removing them is safe.
      await Promise.all(
        previousFiles
          .filter((file) => file !== weightsFile)
          .map((file) => rm(join(directory, file), { force: true })),
      );
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const modelJson = await readModelJson(modelPath);
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          const groupBytes: Uint8Array[] = [];
          for (const path of group.paths) {
            const file = resolveWeightPath(directory, path, modelPath);
            const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
              throw new ModelFileError(
                `fileSystemHandler: cannot read weights file ${file} named by ${modelPath} (${error.code ?? error.message})`,
                file,
                { cause: error },
              );
            });
            groupBytes.push(new Uint8Array(bytes));
          }
          const actual = groupBytes.reduce((total, bytes) => total + bytes.byteLength, 0);
          const expected = weightSpecsByteLength(group.weights);
          if (actual !== expected) {
            const files = group.paths.join(', ');
            throw new CorruptWeightsError(
              `fileSystemHandler: weights file ${files} in ${directory} has ${actual} bytes, expected ${expected} as its manifest in ${modelPath} says; it is truncated or belongs to another model`,
              join(directory, files),
              actual,
              expected,
            );
          }
          specs.push(...group.weights);
          for (const bytes of groupBytes) {
            buffers.push(
              bytes.buffer.slice(
                bytes.byteOffset,
                bytes.byteOffset + bytes.byteLength,
              ) as ArrayBuffer,
            );
          }
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

async function readModelJson(modelPath: string): Promise<tf.io.ModelJSON> {
  let text: string;
  try {
    text = await readFile(modelPath, 'utf8');
  } catch (error) {
    throw new ModelFileError(
      `fileSystemHandler: cannot read ${modelPath} (${(error as NodeJS.ErrnoException).code ?? String(error)}), expected a model.json there`,
      modelPath,
      { cause: error },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(
      `fileSystemHandler: ${modelPath} is not valid JSON (${(error as Error).message})`,
      modelPath,
      { cause: error },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || !('modelTopology' in parsed)) {
    throw new ModelFileError(
      `fileSystemHandler: ${modelPath} has no modelTopology, expected a tfjs model.json`,
      modelPath,
    );
  }
  const modelJson = parsed as tf.io.ModelJSON;
  if (modelJson.weightsManifest !== undefined && !Array.isArray(modelJson.weightsManifest)) {
    throw new ModelFileError(
      `fileSystemHandler: ${modelPath} has a weightsManifest that is not a list`,
      modelPath,
    );
  }
  return modelJson;
}

/** Weight files may only sit in or below the model's directory. */
function resolveWeightPath(directory: string, path: string, modelPath: string): string {
  const relative = normalize(path);
  if (isAbsolute(relative) || relative === '..' || relative.startsWith(`..${sep}`)) {
    throw new ModelFileError(
      `fileSystemHandler: ${modelPath} names weights file '${path}', expected a path inside ${directory}`,
      path,
    );
  }
  return join(directory, relative);
}

async function referencedWeightFiles(modelPath: string): Promise<string[]> {
  try {
    const previous = JSON.parse(await readFile(modelPath, 'utf8')) as Partial<tf.io.ModelJSON>;
    const paths = (previous.weightsManifest ?? []).flatMap((group) => group.paths ?? []);
    // Only plain file names next to model.json are ours to clean up.
    return paths.filter(
      (path) => typeof path === 'string' && basename(path) === path && path !== '..',
    );
  } catch {
    return [];
  }
}

async function writeTemporary(
  directory: string,
  finalName: string,
  bytes: Uint8Array,
  created: string[],
): Promise<string> {
  temporaryCounter += 1;
  const path = join(directory, `.${finalName}.${process.pid}.${temporaryCounter}.partial`);
  created.push(path);
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return path;
}

async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  }
}
