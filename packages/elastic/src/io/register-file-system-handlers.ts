import * as tf from '@tensorflow/tfjs-core';
import { fileSystemHandler } from './file-system-handler.js';

const scheme = 'file://';
let registered = false;

function route(url: string | string[]): tf.io.IOHandler | null {
  const single = Array.isArray(url) ? url[0] : url;
  return typeof single === 'string' && single.startsWith(scheme)
    ? fileSystemHandler(single.slice(scheme.length))
    : null;
}

/**
 * Registers `fileSystemHandler` for `file://` URLs with `tf.io`, so `saveSupernet(net,
 * 'file://./runs/a')` and `tf.loadGraphModel('file://./model/model.json')` work in Node. As in
 * tfjs-node, the path is what follows the scheme (`file://./relative`, `file:///absolute`).
 * Calling it again, or when another library (tfjs-node) already handles `file://`, does nothing.
 */
export function registerFileSystemHandlers(): void {
  if (registered) return;
  const probe = `${scheme}/supernas-probe`;
  // tfjs routers answer null for URLs they do not own, though the declared type says otherwise.
  const router = route as (url: string | string[]) => tf.io.IOHandler;
  if (tf.io.getSaveHandlers(probe).length === 0) tf.io.registerSaveRouter(router);
  if (tf.io.getLoadHandlers(probe).length === 0) tf.io.registerLoadRouter(router);
  registered = true;
}
