import { DatasetError } from '@supernas/data';
import { CheckpointError, CorruptWeightsError, TorchImportError } from '@supernas/elastic';
import { SupernasError } from '@supernas/errors';
import {
  ArchEncodingError,
  InvalidArchError,
  UnknownSearchSpaceError,
} from '@supernas/search-space';
import { NonFiniteLossError, TrainerConfigError } from '@supernas/trainer';
import { BackendUnavailableError } from './backend.js';
import { CliUsageError } from './cli-usage-error.js';
import { ConfigError } from './train/config.js';

/**
 * Error classes that describe bad input rather than a bug: the CLI prints their message alone,
 * without a stack. Add a package's input-error classes here as commands start using them.
 */
export const userErrorClasses: (abstract new (...args: never[]) => Error)[] = [
  CliUsageError,
  InvalidArchError,
  UnknownSearchSpaceError,
  ArchEncodingError,
  ConfigError,
  BackendUnavailableError,
  DatasetError,
  CheckpointError,
  CorruptWeightsError,
  NonFiniteLossError,
  TrainerConfigError,
  TorchImportError,
];

export function isUserError(error: unknown): error is Error {
  return (
    SupernasError.isInstance(error) ||
    userErrorClasses.some((errorClass) => error instanceof errorClass)
  );
}

export { CliUsageError };
