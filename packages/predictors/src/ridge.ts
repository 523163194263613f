import type { ArchConfig, SearchSpace } from '@supernas/search-space';
import { checkFitted, encodeTrainingData } from './check-training-data.js';
import { type ArchEncoder, createEncoder, type EncoderName } from './encoders.js';
import type { Predictor } from './predictor.js';
import { expectedMessage, PredictorError } from './predictor-error.js';
import { predictorHeader, type RidgeJson } from './predictor-json.js';

export interface RidgeOptions {
  readonly space: SearchSpace;
  /** Default `one-hot`: a linear model on raw values cannot express "this choice is best". */
  readonly encoder?: EncoderName;
  /** L2 penalty on the weights (not the intercept); default 1. */
  readonly alpha?: number;
}

/**
 * Ridge regression, closed form: with centred features X and targets y, the weights solve
 * `(XᵀX + alpha I) w = Xᵀy` (a Cholesky solve through `ml-matrix`), and the intercept is
 * `mean(y) - mean(X) w`. A baseline for the forest and the MLP.
 */
export class RidgePredictor implements Predictor {
  readonly kind = 'ridge';
  readonly spaceName: string;
  readonly encoder: ArchEncoder;
  readonly alpha: number;
  private weights: number[] | undefined;
  private intercept = 0;

  constructor(options: RidgeOptions) {
    this.encoder = createEncoder(options.space, options.encoder ?? 'one-hot');
    this.spaceName = options.space.name;
    this.alpha = options.alpha ?? 1;
    if (!(Number.isFinite(this.alpha) && this.alpha > 0)) {
      throw new PredictorError(`ridge: ${expectedMessage('alpha', 'a number > 0', this.alpha)}`, {
        code: 'invalid_predictor_options',
        value: this.alpha,
      });
    }
  }

  get fitted(): boolean {
    return this.weights !== undefined;
  }

  async fit(archs: readonly ArchConfig[], accuracies: readonly number[]): Promise<void> {
    const rows = encodeTrainingData('ridge.fit', this.encoder, archs, accuracies);
    // Loaded on first fit: loading and predicting never pull the linear-algebra library in.
    const { CholeskyDecomposition, Matrix } = await import('ml-matrix');
    const features = this.encoder.length;
    const means = new Array<number>(features).fill(0);
    for (const row of rows) for (let f = 0; f < features; f++) means[f]! += row[f]! / rows.length;
    const targetMean = accuracies.reduce((sum, value) => sum + value, 0) / accuracies.length;
    const centred = new Matrix(rows.map((row) => row.map((value, f) => value - means[f]!)));
    const gram = centred.transpose().mmul(centred);
    for (let f = 0; f < features; f++) gram.set(f, f, gram.get(f, f) + this.alpha);
    const rhs = centred
      .transpose()
      .mmul(Matrix.columnVector(accuracies.map((y) => y - targetMean)));
    const weights = new CholeskyDecomposition(gram).solve(rhs).getColumn(0);
    this.setParameters(
      weights,
      targetMean - weights.reduce((sum, weight, f) => sum + weight * means[f]!, 0),
    );
  }

  setParameters(weights: readonly number[], intercept: number): void {
    if (
      weights.length !== this.encoder.length ||
      !weights.every(Number.isFinite) ||
      !Number.isFinite(intercept)
    ) {
      throw new PredictorError(
        `ridge: ${expectedMessage('weights', `${this.encoder.length} finite numbers and a finite intercept`, weights)}`,
        { code: 'invalid_predictor', value: weights },
      );
    }
    this.weights = [...weights];
    this.intercept = intercept;
  }

  predict(archs: readonly ArchConfig[]): number[] {
    checkFitted(this.kind, this.fitted);
    const weights = this.weights as number[];
    return archs.map((arch) =>
      this.encoder
        .encode(arch)
        .reduce((sum, value, f) => sum + value * (weights[f] as number), this.intercept),
    );
  }

  toJSON(): RidgeJson {
    checkFitted(this.kind, this.fitted);
    return {
      ...predictorHeader('ridge', this.encoder),
      alpha: this.alpha,
      weights: this.weights as number[],
      intercept: this.intercept,
    };
  }
}

/** A ridge-regression predictor over `options.space`; see `RidgePredictor`. */
export function ridgeRegression(options: RidgeOptions): RidgePredictor {
  return new RidgePredictor(options);
}
