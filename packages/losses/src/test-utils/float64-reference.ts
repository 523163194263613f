/**
 * Plain float64 implementations of the loss formulas, written straight from their definitions
 * (no log-space tricks beyond log-softmax), to check the float32 tfjs versions against.
 */

import { seededValues } from '@supernas/test-utils';

export interface ReferenceResult {
  /** Batch mean of the loss. */
  readonly value: number;
  /** Gradient of the batch mean with respect to the first logits, row-major [batch * C]. */
  readonly gradient: Float64Array;
}

export function logSoftmax64(row: ArrayLike<number>): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i] as number);
  let total = 0;
  for (let i = 0; i < row.length; i++) total += Math.exp((row[i] as number) - max);
  const logTotal = max + Math.log(total);
  return Float64Array.from(row, (value) => value - logTotal);
}

function rows(flat: ArrayLike<number>, numClasses: number): Float64Array[] {
  const result: Float64Array[] = [];
  for (let start = 0; start < flat.length; start += numClasses) {
    result.push(Float64Array.from({ length: numClasses }, (_, i) => flat[start + i] as number));
  }
  return result;
}

/**
 * The gradient -(1/a) sum_i c_i grad log q_i with grad_j log q_i = [i = j] - q_j, spelled
 * out as that double sum.
 */
function weightedLogGradient(weights: Float64Array, q: Float64Array, scale: number): Float64Array {
  const gradient = new Float64Array(q.length);
  for (let j = 0; j < q.length; j++) {
    let total = 0;
    for (let i = 0; i < q.length; i++)
      total += (weights[i] as number) * ((i === j ? 1 : 0) - (q[j] as number));
    gradient[j] = scale * total;
  }
  return gradient;
}

/** D_a(p || q) for one sample and AlphaNet's gradient estimate w.r.t. the student logits. */
export function alphaDivergenceRow64(
  studentRow: Float64Array,
  teacherRow: Float64Array,
  alpha: number,
  clip: number,
): { value: number; gradient: Float64Array } {
  const logQ = logSoftmax64(studentRow);
  const logP = logSoftmax64(teacherRow);
  const q = logQ.map(Math.exp);
  const p = logP.map(Math.exp);
  const numClasses = q.length;
  if (alpha === 1) {
    let value = 0;
    for (let i = 0; i < numClasses; i++)
      value += (p[i] as number) * ((logP[i] as number) - (logQ[i] as number));
    return { value, gradient: weightedLogGradient(p, q, -1) };
  }
  if (alpha === 0) {
    let value = 0;
    const weights = new Float64Array(numClasses);
    for (let i = 0; i < numClasses; i++) {
      const logRatio = (logP[i] as number) - (logQ[i] as number);
      value -= (q[i] as number) * logRatio;
      weights[i] = (q[i] as number) * logRatio;
    }
    return { value, gradient: weightedLogGradient(weights, q, -1) };
  }
  let total = 0;
  const weights = new Float64Array(numClasses);
  for (let i = 0; i < numClasses; i++) {
    const clippedPower = Math.min(
      Math.exp(alpha * ((logP[i] as number) - (logQ[i] as number))),
      clip,
    );
    total += (q[i] as number) * (clippedPower - 1);
    weights[i] = (q[i] as number) * clippedPower;
  }
  return {
    value: total / (alpha * (alpha - 1)),
    gradient: weightedLogGradient(weights, q, -1 / alpha),
  };
}

export function adaptiveAlphaDivergence64(
  student: ArrayLike<number>,
  teacher: ArrayLike<number>,
  numClasses: number,
  alphaMin: number,
  alphaMax: number,
  clip: number,
): ReferenceResult & { selectedAlphas: number[] } {
  const studentRows = rows(student, numClasses);
  const teacherRows = rows(teacher, numClasses);
  const batch = studentRows.length;
  const gradient = new Float64Array(batch * numClasses);
  const selectedAlphas: number[] = [];
  let value = 0;
  studentRows.forEach((studentRow, n) => {
    const teacherRow = teacherRows[n] as Float64Array;
    const lower = alphaDivergenceRow64(studentRow, teacherRow, alphaMin, clip);
    const upper = alphaDivergenceRow64(studentRow, teacherRow, alphaMax, clip);
    const chosen = lower.value > upper.value ? lower : upper;
    selectedAlphas.push(lower.value > upper.value ? alphaMin : alphaMax);
    value += chosen.value / batch;
    chosen.gradient.forEach((g, j) => {
      gradient[n * numClasses + j] = g / batch;
    });
  });
  return { value, gradient, selectedAlphas };
}

/** KL(p || q) with temperature; p = softmax(teacher / T), q = softmax(student / T). */
export function klDivergence64(
  student: ArrayLike<number>,
  teacher: ArrayLike<number>,
  numClasses: number,
  temperature: number,
): number {
  const studentRows = rows(student, numClasses);
  const teacherRows = rows(teacher, numClasses);
  let value = 0;
  studentRows.forEach((studentRow, n) => {
    const logQ = logSoftmax64(studentRow.map((z) => z / temperature));
    const logP = logSoftmax64((teacherRows[n] as Float64Array).map((z) => z / temperature));
    for (let i = 0; i < numClasses; i++) {
      value +=
        (Math.exp(logP[i] as number) * ((logP[i] as number) - (logQ[i] as number))) /
        studentRows.length;
    }
  });
  return value;
}

/** Label-smoothed cross-entropy; `targets` is one row of C target weights per sample. */
export function smoothedCrossEntropy64(
  logits: ArrayLike<number>,
  targets: ArrayLike<number>,
  numClasses: number,
  smoothing: number,
): number {
  const logitRows = rows(logits, numClasses);
  const targetRows = rows(targets, numClasses);
  let value = 0;
  logitRows.forEach((row, n) => {
    const logQ = logSoftmax64(row);
    for (let i = 0; i < numClasses; i++) {
      const target =
        (1 - smoothing) * ((targetRows[n] as Float64Array)[i] as number) + smoothing / numClasses;
      value -= (target * (logQ[i] as number)) / logitRows.length;
    }
  });
  return value;
}

/**
 * Central differences of a float64 function of a flat vector, at every coordinate or, for
 * large inputs, at every `stride`-th one (the others are left NaN and skipped by comparisons).
 */
export function finiteDifferenceGradient(
  evaluate: (point: Float64Array) => number,
  point: ArrayLike<number>,
  step = 1e-5,
  stride = 1,
): Float64Array {
  const x = Float64Array.from(point);
  return Float64Array.from(x, (original, i) => {
    if (i % stride !== 0) return Number.NaN;
    x[i] = original + step;
    const above = evaluate(x);
    x[i] = original - step;
    const below = evaluate(x);
    x[i] = original;
    return (above - below) / (2 * step);
  });
}

/** Seeded test logits, uniform in [-scale, scale), so cases never change between runs. */
export function seededLogits(seed: number, length: number, scale: number): Float32Array {
  return seededValues(length, seed, -scale, scale);
}

/** Largest |actual - expected| relative to max(|expected|_inf, floor); NaN expectations are skipped. */
export function maxScaledError(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  floor = 1e-6,
): number {
  let scale = floor;
  for (let i = 0; i < expected.length; i++) {
    if (!Number.isNaN(expected[i])) scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(expected[i])) continue;
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)) / scale);
  }
  return worst;
}
