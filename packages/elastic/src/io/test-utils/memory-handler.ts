import * as tf from '@tensorflow/tfjs-core';

export interface MemoryHandler extends tf.io.IOHandler {
  /** What the last save stored: JSON fields as model.json would hold them, plus the bytes. */
  stored: tf.io.ModelArtifacts | undefined;
}

/** A save-and-load handler that keeps artifacts in memory, passed through JSON like a file. */
export function memoryHandler(): MemoryHandler {
  const handler: MemoryHandler = {
    stored: undefined,
    async save(artifacts) {
      const { weightData, ...json } = artifacts;
      handler.stored = {
        ...(JSON.parse(JSON.stringify(json)) as tf.io.ModelArtifacts),
        weightData:
          weightData === undefined
            ? new ArrayBuffer(0)
            : tf.io.CompositeArrayBuffer.join(weightData).slice(0),
      };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load() {
      if (handler.stored === undefined) throw new Error('memoryHandler: nothing saved yet');
      return handler.stored;
    },
  };
  return handler;
}
