/**
 * Errors of this package. Each carries the offending path or value, so a caller (or a person
 * reading a log) knows which file or option to fix.
 */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A dataset file or folder that does not exist or cannot be read. */
export class DatasetNotFoundError extends DatasetError {
  readonly path: string;
  constructor(path: string, what: string, cause?: unknown) {
    super(`${what} not found: ${path}${cause instanceof Error ? ` (${cause.message})` : ''}`);
    this.path = path;
  }
}

/** A file whose bytes are not in the format it should be (bad magic, wrong size, bad label). */
export class DatasetFormatError extends DatasetError {
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.path = path;
  }
}

/** An image-folder class folder with no images in it. */
export class EmptyClassFolderError extends DatasetError {
  readonly path: string;
  constructor(path: string) {
    super(`class folder has no JPEG or PNG images: ${path}`);
    this.path = path;
  }
}

/** An image that sharp could not decode. */
export class ImageDecodeError extends DatasetError {
  readonly path: string;
  constructor(path: string, cause: unknown) {
    super(`cannot decode image ${path}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.path = path;
  }
}

/** An option or argument outside its allowed range. */
export class InvalidDataOptionError extends DatasetError {
  readonly option: string;
  readonly value: unknown;
  constructor(option: string, value: unknown, expected: string) {
    super(`${option} must be ${expected}, got ${formatValue(value)}`);
    this.option = option;
    this.value = value;
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  return String(value);
}
