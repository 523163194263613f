import { expectedMessage, PredictorError } from '../predictor-error.js';

/** Throws unless `a` and `b` are equally long arrays of at least `minimum` finite numbers. */
export function checkPairs(
  metric: string,
  a: readonly number[],
  b: readonly number[],
  minimum: number,
): void {
  for (const [name, values] of [
    ['first', a],
    ['second', b],
  ] as const) {
    if (!Array.isArray(values) || values.length < minimum) {
      throw new PredictorError(
        `${metric}: ${expectedMessage(`the ${name} argument`, `an array of at least ${minimum} numbers`, values)}`,
        { code: 'invalid_metric_input', value: values },
      );
    }
    const bad = values.findIndex((value) => typeof value !== 'number' || !Number.isFinite(value));
    if (bad >= 0) {
      throw new PredictorError(
        `${metric}: ${expectedMessage(`${name}[${bad}]`, 'a finite number', values[bad])}`,
        { code: 'invalid_metric_input', value: values[bad] },
      );
    }
  }
  if (a.length !== b.length) {
    throw new PredictorError(
      `${metric}: ${expectedMessage('the second argument', `${a.length} numbers (as many as the first)`, b.length)}`,
      { code: 'invalid_metric_input', value: b.length },
    );
  }
}
