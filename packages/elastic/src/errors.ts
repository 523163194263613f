import type { StaticNode } from './types.js';

/**
 * A tensor handed to the supernet or a static subnet does not have the shape the arch needs
 * (wrong rank, resolution or channel count). Resizing belongs to the data pipeline.
 */
export class InputShapeError extends Error {
  readonly shape: readonly number[];
  readonly expected: readonly (number | null)[];

  constructor(problem: string, shape: readonly number[], expected: readonly (number | null)[]) {
    super(problem);
    this.name = 'InputShapeError';
    this.shape = shape;
    this.expected = expected;
  }
}

/** An option (rate, seed, class count, batch count) is out of range or missing. */
export class ElasticOptionError extends Error {
  readonly option: string;
  readonly value: unknown;

  constructor(option: string, value: unknown, expected: string) {
    super(`${option} is ${describe(value)}, expected ${expected}`);
    this.name = 'ElasticOptionError';
    this.option = option;
    this.value = value;
  }
}

/** The supernet lacks a weight the arch needs, or has it in the wrong shape. */
export class MissingWeightError extends Error {
  readonly weightName: string;

  constructor(weightName: string, problem: string) {
    super(`Weight ${weightName} ${problem}`);
    this.name = 'MissingWeightError';
    this.weightName = weightName;
  }
}

/** The supernet or static subnet was disposed and can no longer run. */
export class DisposedError extends Error {
  constructor(what: string) {
    super(`${what} was disposed and can no longer be used`);
    this.name = 'DisposedError';
  }
}

/** A static subnet that does not hold together: a node reads a tensor nothing produced. */
export class StaticGraphError extends Error {
  readonly node: StaticNode;

  constructor(node: StaticNode, problem: string) {
    super(`Static subnet node ${node.kind} -> ${node.output}: ${problem}`);
    this.name = 'StaticGraphError';
    this.node = node;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number' || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
