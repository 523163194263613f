import { formatValue, SupernasError } from '@supernas/errors';
import type { ArchConfig } from '@supernas/search-space';

/**
 * A loss that is NaN or infinite: training stops before the optimizer touches the weights.
 * Usually a learning rate or data problem the user fixes in the config. Code `non_finite_loss`.
 */
export class NonFiniteLossError extends SupernasError {
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
      { code: 'non_finite_loss' },
    );
  }
}

/** A trainer configuration value out of range. Code `trainer_config`. */
export class TrainerConfigError extends SupernasError {
  override readonly name = 'TrainerConfigError';
  constructor(
    readonly key: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`Invalid trainer config: ${key} is ${formatValue(value)}, expected ${expected}`, {
      code: 'trainer_config',
    });
  }
}
