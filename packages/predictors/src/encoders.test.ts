import {
  attentivenasSpace,
  createRng,
  encodeArch,
  getSearchSpace,
  InvalidArchError,
  presetNames,
  sampleArch,
  tinySpace,
} from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { createEncoder, encoderNames, referenceEncoder } from './encoders.js';
import { PredictorError } from './predictor-error.js';
import { publishedAttentivenasModels } from './published-models.js';

describe('referenceEncoder', () => {
  it('gives the AttentiveNAS predictor input [resolution] + width + depth + kernel_size + expand_ratio', () => {
    const a6 = publishedAttentivenasModels.find((model) => model.name === 'A6')!.arch;
    expect(referenceEncoder(attentivenasSpace).encode(a6)).toEqual([
      288,
      ...[16, 16, 24, 32, 64, 112, 216, 224, 1984],
      ...[1, 3, 3, 4, 4, 6, 1],
      ...[3, 3, 3, 3, 3, 5, 3],
      ...[1, 4, 6, 5, 4, 6, 6],
    ]);
  });

  it('names its 31 attentivenas features in that order', () => {
    const encoder = referenceEncoder(attentivenasSpace);
    expect(encoder.length).toBe(31);
    expect(encoder.featureNames.slice(0, 3)).toEqual([
      'resolution',
      'width[first conv]',
      'width[mb1]',
    ]);
    expect(encoder.featureNames[9]).toBe('width[last conv]');
    expect(encoder.featureNames[10]).toBe('depth[mb1]');
    expect(encoder.featureNames[17]).toBe('kernelSize[mb1]');
    expect(encoder.featureNames[30]).toBe('expandRatio[mb7]');
  });
});

describe('createEncoder', () => {
  it.each(presetNames)(
    'encodes %s archs with as many numbers as it names, in every encoding',
    (name) => {
      const space = getSearchSpace(name);
      const rng = createRng(5);
      for (const encoderName of encoderNames) {
        const encoder = createEncoder(space, encoderName);
        expect(encoder.spaceName).toBe(name);
        expect(encoder.featureNames).toHaveLength(encoder.length);
        for (let i = 0; i < 5; i++)
          expect(encoder.encode(sampleArch(space, rng))).toHaveLength(encoder.length);
      }
    },
  );

  it('uses search-space encodeArch for ordinal and one-hot', () => {
    const arch = sampleArch(attentivenasSpace, createRng(1));
    expect(createEncoder(attentivenasSpace, 'ordinal').encode(arch)).toEqual(
      encodeArch(attentivenasSpace, arch),
    );
    const oneHot = createEncoder(attentivenasSpace, 'one-hot');
    expect(oneHot.encode(arch)).toEqual(
      encodeArch(attentivenasSpace, arch, { encoding: 'one-hot' }),
    );
    expect(oneHot.length).toBe(81);
    expect(oneHot.featureNames[0]).toBe('resolution=192');
  });

  it('refuses an arch of another space', () => {
    const tinyArch = sampleArch(tinySpace, createRng(2));
    expect(() => referenceEncoder(attentivenasSpace).encode(tinyArch)).toThrow(InvalidArchError);
  });

  it('refuses an unknown encoder name with the known ones', () => {
    expect(() => createEncoder(attentivenasSpace, 'binary' as never)).toThrow(
      /unknown encoder "binary", expected one of reference, ordinal, one-hot/,
    );
    expect(() => createEncoder(attentivenasSpace, 'binary' as never)).toThrow(PredictorError);
  });
});
