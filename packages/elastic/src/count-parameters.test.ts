import { attentivenasSpace, tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { countParameters } from './count-parameters.js';
import { createSupernet } from './create-supernet.js';
import { useCpu } from './test-utils/elastic-fixtures.js';

describe('countParameters', () => {
  beforeAll(useCpu);

  it('counts the tiny supernet weight by weight: 284,266 at 10 classes', () => {
    // Largest widths per block: conv weights + 2 per BN channel (+ SE biases); every block has
    // its shortcut conv [maxIn, maxOut]. Hidden widths are round(maxIn * 6) (make_divisible of
    // every smaller choice is no larger); SE widths make_divisible(mid // 4, 8).
    const firstConv = 3 * 3 * 3 * 16 + 2 * 16; // 464
    // mb1 (ratio 1 only, no expand conv), 2 blocks of 16 -> 16: dw, project, shortcut.
    const mb1 = 2 * (9 * 16 + 2 * 16 + 16 * 16 + 2 * 16 + 16 * 16); // 1440
    const block = (maxIn: number, mid: number, maxOut: number, se: number) =>
      (maxIn + 2) * mid + // expand conv + BN
      (9 + 2) * mid + // 3x3 depthwise + BN
      (se > 0 ? 2 * mid * se + se + mid : 0) + // SE reduce and expand, with biases
      (mid + 2) * maxOut + // project + BN
      maxIn * maxOut; // shortcut conv
    const mb2 = block(16, 96, 24, 0) + block(24, 144, 24, 0); // 5,520 + 9,408
    const mb3 = block(24, 144, 32, 40) + 2 * block(32, 192, 32, 48); // 22,472 + 2 * 34,544
    const mb4 = block(32, 192, 48, 48) + block(48, 288, 48, 72); // 38,160 + 75,624
    // Head: 48 -> 288 expand + BN, 288 -> 160 feature mix (no BN), 160 -> 10 classifier + bias.
    const head = 48 * 288 + 2 * 288 + 288 * 160 + 160 * 10 + 10; // 62,090
    const total = firstConv + mb1 + mb2 + mb3 + mb4 + head;
    expect(total).toBe(284_266);
    const supernet = createSupernet(tinySpace, { numClasses: 10 });
    expect(countParameters(supernet)).toBe(total);
    // The running mean and variance of the 3,104 BN channels are not parameters.
    let all = 0;
    for (const variable of supernet.variables.values()) all += variable.size;
    expect(all - countParameters(supernet)).toBe(2 * 3_104);
    supernet.dispose();
  });

  it('gives the reference AttentiveNAS supernet its 23,934,704 parameters at 1000 classes', () => {
    // PyTorch's sum(p.numel() for p in model.parameters()) over the reference model.
    const before = tf.memory().numTensors;
    const supernet = createSupernet(attentivenasSpace, { numClasses: 1000 });
    expect(countParameters(supernet)).toBe(23_934_704);
    supernet.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
