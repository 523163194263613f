import {
  attentivenasSpace,
  createRng,
  maxArch,
  minArch,
  sampleArch,
  tinySpace,
} from '@supernas/search-space';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createSupernet } from '../../create-supernet.js';
import { atResolution, useCpu } from '../../test-utils/elastic-fixtures.js';
import type { Supernet } from '../../types.js';
import { expectSameLogits, randomizeDamped } from './test-utils/expect-same-logits.js';
import { runOnnxWeb } from './test-utils/run-onnx-web.js';

// Issue #11: the file exportOnnx writes runs unchanged in onnxruntime-web, here its wasm
// execution provider under Node (the same wasm binary a browser loads).
describe('exportOnnx in onnxruntime-web', () => {
  beforeAll(async () => {
    await useCpu();
  });

  describe('tiny', () => {
    let supernet: Supernet;
    beforeAll(() => {
      supernet = createSupernet(tinySpace, { numClasses: 6, seed: 3 });
      randomizeDamped(supernet, 12);
    });
    afterAll(() => {
      supernet.dispose();
    });

    for (const [label, arch] of [
      ['max', { ...maxArch(tinySpace), resolution: 28 }],
      ['random', sampleArch(tinySpace, createRng(22))],
    ] as const) {
      it(`gives runStaticSubnet's logits within 1e-4 (${label} arch)`, async () => {
        await expectSameLogits(supernet, arch, 6, runOnnxWeb, 'onnxruntime-web');
      });
    }
  });

  it('gives runStaticSubnet logits within 1e-4 for the attentivenas min subnet at 96 px', async () => {
    const space = atResolution(attentivenasSpace, 96);
    const supernet = createSupernet(space, { numClasses: 10, seed: 5 });
    try {
      randomizeDamped(supernet, 7);
      await expectSameLogits(supernet, minArch(space), 9, runOnnxWeb, 'onnxruntime-web');
    } finally {
      supernet.dispose();
    }
  }, 300_000);
});
