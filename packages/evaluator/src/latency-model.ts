import { countFlops } from '@supernas/flops';
import type { ArchConfig, SearchSpace } from '@supernas/search-space';
import { EvaluatorOptionError } from './errors.js';

/** The features a latency model reads from an arch: cost that scales with work and with layer count. */
export const latencyFeatureNames = ['mflops', 'blocks', 'pixels'] as const;

/** A linear latency model fitted by ridge regression; plain data, so it crosses to a worker as is. */
export interface LatencyModel {
  readonly format: 'supernas-latency-model';
  readonly formatVersion: 1;
  readonly space: string;
  readonly numClasses: number;
  readonly inputChannels: number;
  readonly features: readonly string[];
  /** Feature standardisation (mean, std) and the weights on standardised features. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly weights: readonly number[];
  readonly intercept: number;
  /** Mean absolute error on the fitting points, in ms. */
  readonly trainingErrorMs: number;
  readonly points: number;
}

export interface FitLatencyModelOptions {
  readonly numClasses: number;
  readonly inputChannels: number;
  /** Ridge penalty on standardised features. Default 1e-3. */
  readonly penalty?: number;
}

/**
 * `[MFLOPs, blocks, input pixels / 1000]`: MFLOPs carry the arithmetic, the block count the
 * per-kernel launch cost that dominates small nets on GPUs, the pixels the per-activation memory traffic.
 */
export function latencyFeatures(
  space: SearchSpace,
  arch: ArchConfig,
  options: { readonly numClasses: number; readonly inputChannels: number },
): number[] {
  const { flops } = countFlops(space, arch, options);
  const blocks = arch.depth.reduce((sum, depth) => sum + depth, 0);
  return [flops / 1e6, blocks, (arch.resolution * arch.resolution) / 1000];
}

/** Fits latency (ms) on measured archs; two or more points. */
export function fitLatencyModel(
  space: SearchSpace,
  points: readonly { readonly arch: ArchConfig; readonly latencyMs: number }[],
  options: FitLatencyModelOptions,
): LatencyModel {
  if (points.length < 2)
    throw new EvaluatorOptionError('points.length', points.length, 'at least 2 measured archs');
  const penalty = options.penalty ?? 1e-3;
  const rows = points.map((point) => latencyFeatures(space, point.arch, options));
  const targets = points.map((point) => point.latencyMs);
  const width = latencyFeatureNames.length;
  const mean = Array.from({ length: width }, (_, j) => average(rows.map((row) => row[j]!)));
  const std = Array.from({ length: width }, (_, j) => {
    const spread = Math.sqrt(average(rows.map((row) => (row[j]! - mean[j]!) ** 2)));
    return spread > 1e-12 ? spread : 1;
  });
  const standardised = rows.map((row) => row.map((value, j) => (value - mean[j]!) / std[j]!));
  const targetMean = average(targets);
  // Normal equations (X'X + penalty * n * I) w = X'(y - mean y): centred, so no intercept column.
  const gram = Array.from({ length: width }, (_, i) =>
    Array.from({ length: width }, (_, j) => {
      const dot = standardised.reduce((sum, row) => sum + row[i]! * row[j]!, 0);
      return dot + (i === j ? penalty * points.length : 0);
    }),
  );
  const moment = Array.from({ length: width }, (_, i) =>
    standardised.reduce((sum, row, n) => sum + row[i]! * (targets[n]! - targetMean), 0),
  );
  const weights = solve(gram, moment);
  const model: LatencyModel = {
    format: 'supernas-latency-model',
    formatVersion: 1,
    space: space.name,
    numClasses: options.numClasses,
    inputChannels: options.inputChannels,
    features: [...latencyFeatureNames],
    mean,
    std,
    weights,
    intercept: targetMean,
    trainingErrorMs: 0,
    points: points.length,
  };
  const error = average(
    points.map((point) => Math.abs(predictLatency(model, space, point.arch) - point.latencyMs)),
  );
  return { ...model, trainingErrorMs: error };
}

/** Predicted latency (ms) of an arch; never below zero. */
export function predictLatency(model: LatencyModel, space: SearchSpace, arch: ArchConfig): number {
  const features = latencyFeatures(space, arch, model);
  let value = model.intercept;
  for (let j = 0; j < features.length; j++)
    value += (model.weights[j]! * (features[j]! - model.mean[j]!)) / model.std[j]!;
  return Math.max(0, value);
}

function average(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Gaussian elimination with partial pivoting; the matrix is symmetric positive definite here. */
function solve(matrix: number[][], vector: number[]): number[] {
  const size = vector.length;
  const a = matrix.map((row, i) => [...row, vector[i]!]);
  for (let column = 0; column < size; column++) {
    let pivot = column;
    for (let row = column + 1; row < size; row++)
      if (Math.abs(a[row]![column]!) > Math.abs(a[pivot]![column]!)) pivot = row;
    [a[column], a[pivot]] = [a[pivot]!, a[column]!];
    for (let row = column + 1; row < size; row++) {
      const factor = a[row]![column]! / a[column]![column]!;
      for (let k = column; k <= size; k++) a[row]![k]! -= factor * a[column]![k]!;
    }
  }
  const solution = new Array<number>(size).fill(0);
  for (let row = size - 1; row >= 0; row--) {
    let sum = a[row]![size]!;
    for (let k = row + 1; k < size; k++) sum -= a[row]![k]! * solution[k]!;
    solution[row] = sum / a[row]![row]!;
  }
  return solution;
}
