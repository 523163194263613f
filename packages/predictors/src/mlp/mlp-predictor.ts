import { type ArchConfig, createRng, type Rng, type SearchSpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { checkFitted, encodeTrainingData } from '../check-training-data.js';
import { type ArchEncoder, createEncoder, type EncoderName } from '../encoders.js';
import type { Predictor } from '../predictor.js';
import { expectedMessage, PredictorError } from '../predictor-error.js';
import { type MlpJson, predictorHeader } from '../predictor-json.js';
import { base64ToBytes, bytesToBase64 } from './base64.js';

export interface MlpOptions {
  readonly space: SearchSpace;
  /** Default `one-hot`. */
  readonly encoder?: EncoderName;
  /** Hidden layer widths (ReLU); once-for-all's predictor uses three of 400. */
  readonly hiddenLayers?: readonly number[];
  /** Passes over the data; default 100. */
  readonly epochs?: number;
  /** Default 64. */
  readonly batchSize?: number;
  /** Adam's learning rate; default 1e-3. */
  readonly learningRate?: number;
  /** Seeds the initial weights and the batch order. */
  readonly seed?: number;
}

type Layer = { kernel: tf.Variable; bias: tf.Variable };

/** A trainable variable holding `initial`'s values; `initial` is disposed. */
function toVariable(initial: tf.Tensor): tf.Variable {
  // Unnamed: tfjs variable names are global, and several predictors may live in one app.
  const variable = tf.variable(initial, true);
  initial.dispose();
  return variable;
}

/**
 * A multilayer perceptron on encoded archs (ReLU hidden layers, linear output), trained with Adam
 * on the mean squared error of standardised targets. Weights start from a seeded He-uniform
 * draw and batches follow a seeded shuffle, so a fit is reproducible on one backend. Training
 * needs tfjs' gradients registered (import `@tensorflow/tfjs`, or the app's backend bundle).
 * Call `dispose()` when done: the weights are tfjs variables.
 */
export class MlpPredictor implements Predictor {
  readonly kind = 'mlp';
  readonly spaceName: string;
  readonly encoder: ArchEncoder;
  readonly hiddenLayers: readonly number[];
  readonly training: { epochs: number; batchSize: number; learningRate: number; seed: number };
  private layers: Layer[] | undefined;
  private targetMean = 0;
  private targetStd = 1;

  constructor(options: MlpOptions) {
    this.encoder = createEncoder(options.space, options.encoder ?? 'one-hot');
    this.spaceName = options.space.name;
    this.hiddenLayers = [...(options.hiddenLayers ?? [400, 400, 400])];
    const check = (name: string, value: number, integer: boolean): number => {
      if (!(Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value)))) {
        throw new PredictorError(
          `mlp: ${expectedMessage(name, integer ? 'a positive integer' : 'a number > 0', value)}`,
          { code: 'invalid_predictor_options', value },
        );
      }
      return value;
    };
    this.hiddenLayers.forEach((width, i) => {
      check(`hiddenLayers[${i}]`, width, true);
    });
    this.training = {
      epochs: check('epochs', options.epochs ?? 100, true),
      batchSize: check('batchSize', options.batchSize ?? 64, true),
      learningRate: check('learningRate', options.learningRate ?? 1e-3, false),
      seed: options.seed ?? 0,
    };
  }

  get fitted(): boolean {
    return this.layers !== undefined;
  }

  private initLayers(rng: Rng): Layer[] {
    const widths = [this.encoder.length, ...this.hiddenLayers, 1];
    return widths.slice(1).map((outputs, l) => {
      const inputs = widths[l] as number;
      const limit = Math.sqrt(6 / inputs);
      const values = Float32Array.from(
        { length: inputs * outputs },
        () => (2 * rng.next() - 1) * limit,
      );
      return {
        kernel: toVariable(tf.tensor2d(values, [inputs, outputs])),
        bias: toVariable(tf.zeros([outputs])),
      };
    });
  }

  private forward(input: tf.Tensor2D, layers: readonly Layer[]): tf.Tensor2D {
    let hidden = input;
    layers.forEach((layer, l) => {
      hidden = tf.add(tf.matMul(hidden, layer.kernel as tf.Tensor2D), layer.bias);
      if (l < layers.length - 1) hidden = tf.relu(hidden);
    });
    return hidden;
  }

  async fit(archs: readonly ArchConfig[], accuracies: readonly number[]): Promise<void> {
    const rows = encodeTrainingData('mlp.fit', this.encoder, archs, accuracies);
    if (tf.getGradient('BatchMatMul') === undefined) {
      throw new PredictorError(
        "mlp.fit: tfjs gradients are not registered; import '@tensorflow/tfjs' (or a backend bundle that registers them) before training",
        { code: 'tfjs_gradients_missing' },
      );
    }
    const mean = accuracies.reduce((sum, value) => sum + value, 0) / accuracies.length;
    const variance =
      accuracies.reduce((sum, value) => sum + (value - mean) ** 2, 0) / accuracies.length;
    const std = Math.sqrt(variance) || 1;
    const rng = createRng(this.training.seed);
    this.dispose();
    const layers = this.initLayers(rng);
    const optimizer = tf.train.adam(this.training.learningRate);
    const features = tf.tensor2d(rows.flat(), [rows.length, this.encoder.length]);
    const targets = tf.tensor2d(
      accuracies.map((value) => (value - mean) / std),
      [rows.length, 1],
    );
    try {
      const order = rows.map((_, i) => i);
      const { epochs, batchSize } = this.training;
      for (let epoch = 0; epoch < epochs; epoch++) {
        for (let i = order.length - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          [order[i], order[j]] = [order[j] as number, order[i] as number];
        }
        for (let start = 0; start < order.length; start += batchSize) {
          const indices = tf.tensor1d(order.slice(start, start + batchSize), 'int32');
          optimizer.minimize(() => {
            const prediction = this.forward(tf.gather(features, indices), layers);
            return tf.mean(tf.square(tf.sub(prediction, tf.gather(targets, indices)))) as tf.Scalar;
          });
          indices.dispose();
        }
        // Let the event loop breathe between epochs (progress output, cancellation).
        await Promise.resolve();
      }
    } catch (error) {
      for (const layer of layers) {
        layer.kernel.dispose();
        layer.bias.dispose();
      }
      throw error;
    } finally {
      optimizer.dispose();
      features.dispose();
      targets.dispose();
    }
    this.layers = layers;
    this.targetMean = mean;
    this.targetStd = std;
  }

  predict(archs: readonly ArchConfig[]): number[] {
    checkFitted(this.kind, this.fitted);
    if (archs.length === 0) return [];
    const rows = archs.map((arch) => this.encoder.encode(arch));
    const output = tf.tidy(() =>
      this.forward(tf.tensor2d(rows.flat(), [rows.length, this.encoder.length]), this.layers!),
    );
    const values = output.dataSync();
    output.dispose();
    return Array.from(values, (value) => value * this.targetStd + this.targetMean);
  }

  toJSON(): MlpJson {
    checkFitted(this.kind, this.fitted);
    const layers = this.layers as Layer[];
    const tensors = layers.flatMap((layer) => [layer.kernel, layer.bias]);
    const weightSpecs = tensors.map((tensor, i) => ({
      name: `dense${Math.floor(i / 2)}/${i % 2 === 0 ? 'kernel' : 'bias'}`,
      shape: [...tensor.shape],
      dtype: 'float32' as const,
    }));
    const parts = tensors.map((tensor) => tensor.dataSync() as Float32Array);
    const bytes = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    return {
      ...predictorHeader('mlp', this.encoder),
      hiddenLayers: this.hiddenLayers,
      targetMean: this.targetMean,
      targetStd: this.targetStd,
      weightSpecs,
      weightData: bytesToBase64(bytes.buffer),
    };
  }

  /** Sets the weights from a `toJSON()`; used by `loadPredictor`. */
  setWeights(json: MlpJson): void {
    const widths = [this.encoder.length, ...this.hiddenLayers, 1];
    const expected = widths.slice(1).flatMap((outputs, l) => [[widths[l], outputs], [outputs]]);
    const specs = json.weightSpecs;
    if (
      !Array.isArray(specs) ||
      specs.length !== expected.length ||
      specs.some((spec, i) => JSON.stringify(spec?.shape) !== JSON.stringify(expected[i]))
    ) {
      throw new PredictorError(
        `mlp: ${expectedMessage(
          'weightSpecs shapes',
          JSON.stringify(expected),
          specs?.map((spec) => spec?.shape),
        )}`,
        { code: 'invalid_predictor', value: specs },
      );
    }
    const data = new Float32Array(base64ToBytes(String(json.weightData)));
    const total = expected.reduce(
      (sum, shape) => sum + shape.reduce((a, b) => (a as number) * (b as number), 1)!,
      0,
    );
    if (data.length !== total || !Number.isFinite(json.targetMean) || !(json.targetStd > 0)) {
      throw new PredictorError(
        `mlp: ${expectedMessage('weightData', `${total} float32 values with a finite targetMean and targetStd > 0`, data.length)}`,
        { code: 'invalid_predictor', value: data.length },
      );
    }
    this.dispose();
    let offset = 0;
    const take = (shape: number[]) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const tensor = tf.tensor(data.subarray(offset, offset + size), shape);
      offset += size;
      return toVariable(tensor);
    };
    this.layers = widths.slice(1).map((outputs, l) => ({
      kernel: take([widths[l] as number, outputs]),
      bias: take([outputs]),
    }));
    this.targetMean = json.targetMean;
    this.targetStd = json.targetStd;
  }

  /** Frees the weights; the predictor is unfitted afterwards. */
  dispose(): void {
    for (const layer of this.layers ?? []) {
      layer.kernel.dispose();
      layer.bias.dispose();
    }
    this.layers = undefined;
  }
}

/** An MLP predictor over `options.space`; see `MlpPredictor`. */
export function mlpPredictor(options: MlpOptions): MlpPredictor {
  return new MlpPredictor(options);
}
