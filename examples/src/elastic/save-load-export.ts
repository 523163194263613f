import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  createSupernet,
  exportGraphModel,
  extractSubnet,
  loadSupernet,
  saveSupernet,
} from '@supernas/elastic';
import { registerFileSystemHandlers } from '@supernas/elastic/node';
import { minArch, tinySpace } from '@supernas/search-space';

const folder = mkdtempSync(join(tmpdir(), 'supernas-example-'));
const supernet = createSupernet(tinySpace, { numClasses: 10, seed: 0 });
const arch = minArch(tinySpace);
const optimizer = tf.train.momentum(0.1, 0.9);
const step = 100;
const epoch = 2;

registerFileSystemHandlers(); // file://path -> fileSystemHandler(path); a no-op if tfjs-node handles file://
await saveSupernet(supernet, `file://${folder}/checkpoint`, {
  optimizer,
  step,
  metadata: { epoch },
});
const { supernet: restored, step: resumedAt } = await loadSupernet(
  `file://${folder}/checkpoint/model.json`,
  {
    optimizer: tf.train.momentum(0.1, 0.9), // receives the saved momentum buffers and iteration count
  },
);
await exportGraphModel(extractSubnet(restored, arch), `file://${folder}/model`); // BN folded by default
// In any tfjs app, no supernas needed: (await tf.loadGraphModel(url)).predict(images) -> logits
console.log(`resumed at step ${resumedAt}, exported a graph model to ${folder}/model`);
rmSync(folder, { recursive: true, force: true });
