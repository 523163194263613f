import { createBatchIterator, loadFashionMnist } from '@supernas/data';
import { createRng } from '@supernas/search-space';

const train = await loadFashionMnist({ split: 'train' }); // first run ~3 s, then ~0.1-0.3 s
const batches = createBatchIterator(train, { batchSize: 128, rng: createRng(42) });
const batch = await batches.next(28); // the resolution of this step's arch
console.log(batch?.shape, batch?.labels[0]); // [128, 28, 28, 1]
const saved = batches.state(); // JSON; later: createBatchIterator(train, { batchSize: 128, state: saved })
batches.close(); // stops reading ahead
const test = await loadFashionMnist({ split: 'test' });
let seen = 0;
for await (const evalBatch of createBatchIterator(test, {
  batchSize: 256,
  mode: 'eval',
  resolution: 32,
})) {
  seen += evalBatch.size; // ordered, unaugmented, one epoch, last partial batch kept
}
console.log(`evaluated ${seen} of ${test.size} images; resume from epoch ${saved.epoch}`);
