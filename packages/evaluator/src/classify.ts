import * as tf from '@tensorflow/tfjs-core';
import { EvaluatorOptionError } from './errors.js';
import type { ExportMetadata } from './export-metadata.js';
import { type ImageInput, preprocessImage } from './preprocess-image.js';
import type { SubnetRunner } from './subnet-runner.js';

export interface Prediction {
  readonly index: number;
  /** The run's class name, or the index as text when the run has none. */
  readonly label: string;
  readonly probability: number;
  readonly logit: number;
}

export interface Classification {
  /** Best first. */
  readonly top: readonly Prediction[];
  readonly logits: Float32Array;
}

/**
 * Classifies one image with an exported subnet: the run's preprocessing, then softmax over the
 * logits, best `topK` (default 5) with the run's class names.
 */
export async function classify(
  runner: SubnetRunner,
  metadata: ExportMetadata,
  image: ImageInput,
  options: { readonly topK?: number } = {},
): Promise<Classification> {
  const topK = options.topK ?? 5;
  if (!Number.isInteger(topK) || topK < 1)
    throw new EvaluatorOptionError('topK', topK, 'an integer >= 1');
  const [logitsTensor, probabilitiesTensor] = tf.tidy(() => {
    const logits = runner.run(preprocessImage(image, metadata));
    return [logits, tf.softmax(logits)] as const;
  });
  let logits: Float32Array;
  let probabilities: Float32Array;
  try {
    logits = (await logitsTensor.data()) as Float32Array;
    probabilities = (await probabilitiesTensor.data()) as Float32Array;
  } finally {
    logitsTensor.dispose();
    probabilitiesTensor.dispose();
  }
  const order = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]!);
  const top = order.slice(0, Math.min(topK, order.length)).map((index) => ({
    index,
    label: metadata.classNames?.[index] ?? String(index),
    probability: probabilities[index]!,
    logit: logits[index]!,
  }));
  return { top, logits };
}
