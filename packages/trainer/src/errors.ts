import type { ArchConfig } from '@supernas/search-space';

/** A loss that is NaN or infinite: training stops before the optimizer touches the weights. */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
  constructor(
    readonly step: number,
    readonly subnetIndex: number,
    readonly subnetRole: string,
    readonly arch: ArchConfig,
    readonly value: number,
  ) {
    super(
      `Non-finite loss ${value} at step ${step} in subnet ${subnetIndex} (${subnetRole}, resolution ${arch.resolution}, width [${arch.width.join(', ')}], depth [${arch.depth.join(', ')}]); the weights were not updated.`,
    );
  }
}

/** A trainer configuration value out of range. */
export class TrainerConfigError extends Error {
  override readonly name = 'TrainerConfigError';
  constructor(
    readonly key: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`Invalid trainer config: ${key} is ${JSON.stringify(value)}, expected ${expected}`);
  }
}
