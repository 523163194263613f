import { formatValue, SupernasError } from '@supernas/errors';

/**
 * Errors of this package. Each carries the offending path or value, so a caller (or a person
 * reading a log) knows which file or option to fix. Code `dataset` here; each subclass has its
 * own.
 */
export class DatasetError extends SupernasError {
  override readonly name: string = 'DatasetError';

  constructor(message: string, options: { readonly code?: string; readonly cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'dataset', cause: options.cause });
  }
}

/** A dataset file or folder that does not exist or cannot be read. Code `dataset_not_found`. */
export class DatasetNotFoundError extends DatasetError {
  override readonly name = 'DatasetNotFoundError';
  readonly path: string;
  constructor(path: string, what: string, cause?: unknown) {
    super(`${what} not found: ${path}${cause instanceof Error ? ` (${cause.message})` : ''}`, {
      code: 'dataset_not_found',
      cause,
    });
    this.path = path;
  }
}

/**
 * A file whose bytes are not in the format it should be (bad magic, wrong size, bad label). Code
 * `dataset_format`.
 */
export class DatasetFormatError extends DatasetError {
  override readonly name = 'DatasetFormatError';
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`, { code: 'dataset_format' });
    this.path = path;
  }
}

/** An image-folder class folder with no images in it. Code `empty_class_folder`. */
export class EmptyClassFolderError extends DatasetError {
  override readonly name = 'EmptyClassFolderError';
  readonly path: string;
  constructor(path: string) {
    super(`class folder has no JPEG or PNG images: ${path}`, { code: 'empty_class_folder' });
    this.path = path;
  }
}

/** An image that sharp could not decode. Code `image_decode`. */
export class ImageDecodeError extends DatasetError {
  override readonly name = 'ImageDecodeError';
  readonly path: string;
  constructor(path: string, cause: unknown) {
    super(
      `cannot decode image ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { code: 'image_decode', cause },
    );
    this.path = path;
  }
}

/** An option or argument outside its allowed range. Code `invalid_data_option`. */
export class InvalidDataOptionError extends DatasetError {
  override readonly name = 'InvalidDataOptionError';
  readonly option: string;
  readonly value: unknown;
  constructor(option: string, value: unknown, expected: string) {
    super(`${option} must be ${expected}, got ${formatValue(value)}`, {
      code: 'invalid_data_option',
    });
    this.option = option;
    this.value = value;
  }
}
