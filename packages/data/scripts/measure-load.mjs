// Measures how long the loaders take (run through `pnpm bench`, after a build).
// SUPERNAS_CACHE_DIR is pointed at a fresh folder so the first Fashion-MNIST load converts.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRng } from '@supernas/search-space';
import { createBatchIterator, loadFashionMnist, loadMnist } from '../dist/index.js';

const time = async (label, work) => {
  const start = performance.now();
  const result = await work();
  console.log(`${label}: ${(performance.now() - start).toFixed(0)} ms`);
  return result;
};

const cacheDir = mkdtempSync(join(tmpdir(), 'supernas-measure-'));
try {
  const packageDir = dirname(createRequire(import.meta.url).resolve('fashion-mnist/package.json'));
  await time(
    'fashion-mnist JSON.parse of the 10 package files (what the package itself does)',
    async () => {
      for (let label = 0; label < 10; label++) {
        JSON.parse(await readFile(join(packageDir, 'src/clothes', `${label}.json`), 'utf8'));
      }
    },
  );
  await time('loadFashionMnist train, no cache (scan + hash check of 155 MB JSON)', () =>
    loadFashionMnist({ split: 'train', cacheDir: false }),
  );
  await time('loadFashionMnist train, first run (convert + write cache)', () =>
    loadFashionMnist({ split: 'train', cacheDir }),
  );
  const train = await time('loadFashionMnist train, cache hit', () =>
    loadFashionMnist({ split: 'train', cacheDir }),
  );
  await time('loadFashionMnist test, cache hit', () =>
    loadFashionMnist({ split: 'test', cacheDir }),
  );
  await time('loadMnist train (IDX)', () => loadMnist({ split: 'train' }));
  const iterator = createBatchIterator(train, { batchSize: 128, rng: createRng(1) });
  await time(
    `one epoch of train batches at 32 px (${iterator.batchesPerEpoch} batches of 128)`,
    async () => {
      for (let i = 0; i < iterator.batchesPerEpoch; i++) await iterator.next(32);
    },
  );
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
