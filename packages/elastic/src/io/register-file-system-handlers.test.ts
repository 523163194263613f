import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeCheckpoint } from './dispose-checkpoint.js';
import { loadCheckpoint } from './load-checkpoint.js';
import { registerFileSystemHandlers } from './register-file-system-handlers.js';
import { saveSupernet } from './save-supernet.js';
import { fakeSupernet } from './test-utils/fake-supernet.js';

describe('registerFileSystemHandlers', () => {
  let directory: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    directory = await mkdtemp(join(tmpdir(), 'supernas-router-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('routes file:// URLs to the file handler, once however often it is called', async () => {
    const url = `file://${directory}/checkpoint`;
    expect(tf.io.getSaveHandlers(url)).toHaveLength(0);
    registerFileSystemHandlers();
    registerFileSystemHandlers();
    expect(tf.io.getSaveHandlers(url)).toHaveLength(1);
    expect(tf.io.getLoadHandlers(url)).toHaveLength(1);
    expect(tf.io.getSaveHandlers('indexeddb://x')).toHaveLength(0);

    const supernet = fakeSupernet();
    await saveSupernet(supernet, url, { step: 9 });
    const checkpoint = await loadCheckpoint(`${url}/model.json`);
    expect(checkpoint.step).toBe(9);
    disposeCheckpoint(checkpoint);
    supernet.dispose();
  });
});
