import {
  attentivenasSpace,
  createRng,
  InvalidArchError,
  maxArch,
  minArch,
  sampleArch,
  tinySpace,
} from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupernet } from './create-supernet.js';
import { DisposedError, ElasticOptionError, InputShapeError } from './errors.js';
import {
  maxAbsDifference,
  randomBatch,
  randomizeBatchNorms,
  useCpu,
} from './test-utils/elastic-fixtures.js';
import type { Supernet } from './types.js';

function finiteLogits(logits: tf.Tensor): boolean {
  return Array.from(logits.dataSync()).every(Number.isFinite);
}

describe('createSupernet', () => {
  let tiny: Supernet;
  beforeAll(async () => {
    await useCpu();
    tiny = createSupernet(tinySpace, { numClasses: 10, seed: 1 });
    randomizeBatchNorms(tiny, 2);
  });
  afterAll(() => tiny.dispose());

  it('runs the min, max and a random tiny subnet to logits of [N, numClasses] without leaking', () => {
    const archs = [minArch(tinySpace), maxArch(tinySpace), sampleArch(tinySpace, createRng(5))];
    for (const arch of archs) {
      for (const training of [false, true]) {
        const x = randomBatch([2, arch.resolution, arch.resolution, 3], arch.resolution);
        const before = tf.memory().numTensors;
        const logits = tiny.apply(x, arch, { training });
        expect(tf.memory().numTensors).toBe(before + 1);
        expect(logits.shape).toEqual([2, 10]);
        expect(finiteLogits(logits)).toBe(true);
        tf.dispose([x, logits]);
      }
    }
  });

  it('runs the attentivenas space: its smallest subnet at 192 px and its largest at 32 px', () => {
    // One 24M-weight supernet for both: a 32 px resolution added to the space keeps the largest
    // subnet's structure affordable on the cpu backend.
    const space = { ...attentivenasSpace, resolutions: [32, ...attentivenasSpace.resolutions] };
    const full = createSupernet(space, { numClasses: 1000 });
    for (const arch of [
      { ...minArch(space), resolution: 192 },
      { ...maxArch(space), resolution: 32 },
    ]) {
      const image = randomBatch([1, arch.resolution, arch.resolution, 3], 2);
      const before = tf.memory().numTensors;
      const output = full.apply(image, arch, { training: false });
      expect(tf.memory().numTensors).toBe(before + 1);
      expect(output.shape).toEqual([1, 1000]);
      expect(finiteLogits(output)).toBe(true);
      tf.dispose([image, output]);
    }
    full.dispose();
  });

  it('is reproducible from its seed', () => {
    const a = createSupernet(tinySpace, { numClasses: 10, seed: 7 });
    const b = createSupernet(tinySpace, { numClasses: 10, seed: 7 });
    const c = createSupernet(tinySpace, { numClasses: 10, seed: 8 });
    for (const [name, variable] of a.variables) {
      expect(maxAbsDifference(variable, b.variables.get(name) as tf.Variable)).toBe(0);
    }
    const name = 'blocks.3.mobile_inverted_conv.depth_conv.conv.conv.weight';
    expect(
      maxAbsDifference(a.variables.get(name) as tf.Variable, c.variables.get(name) as tf.Variable),
    ).toBeGreaterThan(0);
    // zero_last_gamma: every block starts as its shortcut.
    const gamma = a.variables.get(
      'blocks.3.mobile_inverted_conv.point_linear.bn.bn.weight',
    ) as tf.Variable;
    expect(Array.from(gamma.dataSync()).every((v) => v === 0)).toBe(true);
    for (const supernet of [a, b, c]) supernet.dispose();
  });

  it('names tfjs variables by prefix + state_dict key and lists the trainable ones', () => {
    const supernet = createSupernet(tinySpace, { numClasses: 10, variablePrefix: 'named/' });
    const weight = supernet.variables.get('first_conv.conv.conv.weight');
    expect(weight?.name).toBe('named/first_conv.conv.conv.weight');
    expect(weight?.shape).toEqual([3, 3, 3, 16]);
    expect(supernet.trainableNames).toContain('first_conv.bn.bn.weight');
    expect(supernet.trainableNames).not.toContain('first_conv.bn.bn.running_mean');
    expect(supernet.variables.get('first_conv.bn.bn.running_mean')?.trainable).toBe(false);
    supernet.dispose();
    expect(weight?.isDisposed).toBe(true);
  });

  it('rejects an input whose resolution is not the arch resolution, naming both', () => {
    const arch = maxArch(tinySpace);
    const x = randomBatch([1, 24, 24, 3], 1);
    expect(() => tiny.apply(x, arch, { training: false })).toThrow(InputShapeError);
    expect(() => tiny.apply(x, arch, { training: false })).toThrow(
      /input is 24x24 but arch.resolution is 28/,
    );
    const gray = randomBatch([1, 28, 28, 1], 1);
    expect(() => tiny.apply(gray, arch, { training: false })).toThrow(/1 channels, expected 3/);
    tf.dispose([x, gray]);
  });

  it('rejects an arch that is not of its space', () => {
    const x = randomBatch([1, 32, 32, 3], 1);
    const before = tf.memory().numTensors;
    const arch = { ...maxArch(tinySpace), depth: [2, 2, 9, 2] };
    expect(() => tiny.apply(x, arch, { training: false })).toThrow(InvalidArchError);
    expect(() => tiny.apply(x, arch, { training: false })).toThrow(/depth of stage 2 \(mb3\) is 9/);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('rejects bad options and runs after dispose', () => {
    expect(() => createSupernet(tinySpace, { numClasses: 0 })).toThrow(ElasticOptionError);
    const arch = maxArch(tinySpace);
    const x = randomBatch([1, 28, 28, 3], 1);
    expect(() => tiny.apply(x, arch, { training: true, dropout: 0.2 })).toThrow(
      /seed is undefined/,
    );
    expect(() => tiny.apply(x, arch, { training: true, dropout: 1.5, seed: 1 })).toThrow(
      /dropout is 1.5/,
    );
    const disposed = createSupernet(tinySpace, { numClasses: 10 });
    disposed.dispose();
    expect(() => disposed.apply(x, arch, { training: false })).toThrow(DisposedError);
    x.dispose();
  });

  it('draws dropout and drop-connect masks from the seed', () => {
    const arch = { ...minArch(tinySpace), depth: [1, 1, 2, 2] };
    const x = randomBatch([4, 24, 24, 3], 3);
    const run = (seed: number) =>
      tiny.apply(x, arch, { training: true, dropout: 0.5, dropConnect: 0.5, seed });
    const [first, again, other] = [run(1), run(1), run(2)];
    expect(maxAbsDifference(first, again)).toBe(0);
    expect(maxAbsDifference(first, other)).toBeGreaterThan(0);
    tf.dispose([x, first, again, other]);
  });

  it('drops only identity-shortcut blocks, by default only in the last two stages', () => {
    // Depth 1 in the last two stages leaves no identity block there (their first blocks widen).
    const arch = { ...minArch(tinySpace), depth: [2, 2, 1, 1] };
    const x = randomBatch([4, 24, 24, 3], 4);
    const plain = tiny.apply(x, arch, { training: true });
    const lastTwo = tiny.apply(x, arch, { training: true, dropConnect: 0.9, seed: 3 });
    const everywhere = tiny.apply(x, arch, {
      training: true,
      dropConnect: 0.9,
      seed: 3,
      dropConnectOnlyLastTwoStages: false,
    });
    expect(maxAbsDifference(plain, lastTwo)).toBe(0);
    expect(maxAbsDifference(plain, everywhere)).toBeGreaterThan(0);
    tf.dispose([x, plain, lastTwo, everywhere]);
  });
});
