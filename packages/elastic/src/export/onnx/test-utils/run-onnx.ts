import * as tf from '@tensorflow/tfjs-core';
import { InferenceSession, Tensor } from 'onnxruntime-node';

/** Runs ONNX model `bytes` in onnxruntime-node (cpu) on `input`; returns its `logits` as a tfjs tensor. */
export async function runOnnx(bytes: Uint8Array, input: tf.Tensor): Promise<tf.Tensor> {
  const session = await InferenceSession.create(bytes, { executionProviders: ['cpu'] });
  try {
    const feed = new Tensor('float32', (await input.data()) as Float32Array, input.shape);
    const { logits } = await session.run({ input: feed });
    if (logits === undefined) throw new Error('runOnnx: the model has no output named logits');
    return tf.tensor(logits.data as Float32Array, logits.dims as number[]);
  } finally {
    await session.release();
  }
}

/** max |actual - expected|, the absolute difference the ONNX export tests bound. */
export function maxAbsoluteDifference(actual: tf.Tensor, expected: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0] as number);
}
