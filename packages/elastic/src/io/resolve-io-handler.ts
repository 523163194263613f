import { SupernasError } from '@supernas/errors';
import * as tf from '@tensorflow/tfjs-core';

/** A `tf.io` URL (`file://`, `indexeddb://`, `http(s)://`, ...) or a handler object. */
export type UrlOrHandler = string | tf.io.IOHandler;

/**
 * Raised when no (or more than one) `tf.io` handler claims a URL, or a handler lacks a method.
 * Code `io_handler`.
 */
export class IoHandlerError extends SupernasError {
  override readonly name = 'IoHandlerError';

  constructor(
    message: string,
    readonly url: string,
  ) {
    super(message, { code: 'io_handler' });
  }
}

function hint(url: string): string {
  return url.startsWith('file://')
    ? " In Node, call registerFileSystemHandlers() from '@supernas/elastic/node' first, or pass fileSystemHandler(directory)."
    : '';
}

function pick(
  urlOrHandler: UrlOrHandler,
  caller: string,
  direction: 'save' | 'load',
): tf.io.IOHandler {
  if (typeof urlOrHandler !== 'string') {
    if (typeof urlOrHandler[direction] !== 'function') {
      throw new IoHandlerError(
        `${caller}: the handler has no ${direction}() method, expected a tf.io ${direction} handler`,
        '',
      );
    }
    return urlOrHandler;
  }
  const handlers =
    direction === 'save'
      ? tf.io.getSaveHandlers(urlOrHandler)
      : tf.io.getLoadHandlers(urlOrHandler);
  const handler = handlers[0];
  if (handlers.length !== 1 || handler === undefined || typeof handler[direction] !== 'function') {
    throw new IoHandlerError(
      `${caller}: ${handlers.length} tf.io ${direction} handlers match '${urlOrHandler}', expected exactly one.${hint(urlOrHandler)}`,
      urlOrHandler,
    );
  }
  return handler;
}

/** The save function for `urlOrHandler`, with an error that says what to do when there is none. */
export function resolveSaveHandler(urlOrHandler: UrlOrHandler, caller: string): tf.io.SaveHandler {
  const handler = pick(urlOrHandler, caller, 'save');
  return (artifacts) => (handler.save as tf.io.SaveHandler).call(handler, artifacts);
}

/** The load function for `urlOrHandler`, with an error that says what to do when there is none. */
export function resolveLoadHandler(urlOrHandler: UrlOrHandler, caller: string): tf.io.LoadHandler {
  const handler = pick(urlOrHandler, caller, 'load');
  return () => (handler.load as tf.io.LoadHandler).call(handler);
}
