import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-web';

/**
 * Runs ONNX model `bytes` in onnxruntime-web's wasm execution provider on `input`; returns its
 * `logits` as a tfjs tensor. One thread: worker threads need a served page, not Node.
 */
export async function runOnnxWeb(bytes: Uint8Array, input: tf.Tensor): Promise<tf.Tensor> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    const feed = new ort.Tensor('float32', (await input.data()) as Float32Array, input.shape);
    const { logits } = await session.run({ input: feed });
    if (logits === undefined) throw new Error('runOnnxWeb: the model has no output named logits');
    return tf.tensor(logits.data as Float32Array, logits.dims as number[]);
  } finally {
    await session.release();
  }
}
