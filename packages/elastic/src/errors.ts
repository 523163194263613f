import { formatValue, SupernasError } from '@supernas/errors';
import type { StaticNode } from './types.js';

/**
 * A tensor handed to the supernet or a static subnet does not have the shape the arch needs
 * (wrong rank, resolution or channel count). Resizing belongs to the data pipeline. Code
 * `input_shape`.
 */
export class InputShapeError extends SupernasError {
  override readonly name = 'InputShapeError';
  readonly shape: readonly number[];
  readonly expected: readonly (number | null)[];

  constructor(problem: string, shape: readonly number[], expected: readonly (number | null)[]) {
    super(problem, { code: 'input_shape' });
    this.shape = shape;
    this.expected = expected;
  }
}

/**
 * An option (rate, seed, class count, batch count) is out of range or missing. Code
 * `elastic_option`.
 */
export class ElasticOptionError extends SupernasError {
  override readonly name = 'ElasticOptionError';
  readonly option: string;
  readonly value: unknown;

  constructor(option: string, value: unknown, expected: string) {
    super(`${option} is ${formatValue(value)}, expected ${expected}`, { code: 'elastic_option' });
    this.option = option;
    this.value = value;
  }
}

/**
 * The supernet or static subnet lacks a weight the arch needs. Both are built by this package
 * (`createSupernet`, `extractSubnet`) and loaders check a checkpoint's weights against the space
 * first (`CheckpointError`), so reaching this is a bug, not bad user input. Code
 * `missing_weight`.
 */
export class MissingWeightError extends SupernasError {
  override readonly name = 'MissingWeightError';
  readonly weightName: string;

  constructor(weightName: string, problem: string) {
    super(`Weight ${weightName} ${problem}`, { code: 'missing_weight' });
    this.weightName = weightName;
  }
}

/**
 * The supernet or static subnet was disposed and can no longer run: a bug in the caller's
 * lifetime handling, never bad user input. Code `disposed`.
 */
export class DisposedError extends SupernasError {
  override readonly name = 'DisposedError';

  constructor(what: string) {
    super(`${what} was disposed and can no longer be used`, { code: 'disposed' });
  }
}

/**
 * A static subnet that does not hold together: a node reads a tensor nothing produced. Subnets
 * come from `extractSubnet`, so this is a bug there (or a hand-edited subnet), not bad user
 * input. Code `static_graph`.
 */
export class StaticGraphError extends SupernasError {
  override readonly name = 'StaticGraphError';
  readonly node: StaticNode;

  constructor(node: StaticNode, problem: string) {
    super(`Static subnet node ${node.kind} -> ${node.output}: ${problem}`, {
      code: 'static_graph',
    });
    this.node = node;
  }
}

/**
 * tfjs' gradient functions could not be registered: an installation problem (`@tensorflow/tfjs`
 * missing or of another version), fixed by installing it. Code `gradient_registration`.
 */
export class GradientRegistrationError extends SupernasError {
  override readonly name = 'GradientRegistrationError';
  /** Each module tried, with why it did not register the gradients. */
  readonly failures: readonly string[];

  constructor(failures: readonly string[]) {
    super(
      `registerGradients: could not register tfjs gradients. Install @tensorflow/tfjs 4.22 next to @tensorflow/tfjs-core (${failures.join('; ')})`,
      { code: 'gradient_registration' },
    );
    this.failures = failures;
  }
}
