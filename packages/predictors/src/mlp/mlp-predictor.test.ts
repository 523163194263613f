import '@tensorflow/tfjs';
import { attentivenasSpace, tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPredictor as loadPurePredictor } from '../load-predictor.js';
import { kendallTau } from '../metrics/kendall-tau.js';
import { syntheticData } from '../test-utils/synthetic.js';
import { loadPredictor } from './index.js';
import { type MlpPredictor, mlpPredictor } from './mlp-predictor.js';

const train = syntheticData(attentivenasSpace, 256, 1);
const test = syntheticData(attentivenasSpace, 200, 2);
const created: MlpPredictor[] = [];
let tensorsBefore = 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => {
  tensorsBefore = tf.memory().numTensors;
});
afterEach(() => {
  for (const predictor of created.splice(0)) predictor.dispose();
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

function make(options: Partial<Parameters<typeof mlpPredictor>[0]> = {}): MlpPredictor {
  const predictor = mlpPredictor({ space: attentivenasSpace, epochs: 30, seed: 7, ...options });
  created.push(predictor);
  return predictor;
}

describe('mlpPredictor', () => {
  it('learns to rank a synthetic accuracy, leaking no tensors', async () => {
    const mlp = make({ hiddenLayers: [64, 64], epochs: 50, batchSize: 128, learningRate: 3e-3 });
    await mlp.fit(train.archs, train.accuracies);
    expect(kendallTau(mlp.predict(test.archs), test.accuracies)).toBeGreaterThan(0.8);
  });

  it("defaults to once-for-all's three hidden layers of 400", async () => {
    // One Adam step only: the cpu backend takes ~0.5 s per step of this size.
    const mlp = make({ epochs: 1, batchSize: 256 });
    expect(mlp.hiddenLayers).toEqual([400, 400, 400]);
    await mlp.fit(train.archs, train.accuracies);
    expect(mlp.toJSON().weightSpecs.map((spec) => spec.shape)).toEqual([
      [81, 400],
      [400],
      [400, 400],
      [400],
      [400, 400],
      [400],
      [400, 1],
      [1],
    ]);
    expect(mlp.predict(test.archs.slice(0, 3)).every(Number.isFinite)).toBe(true);
  });

  it('is reproducible from its seed and round-trips through JSON', async () => {
    const first = make({ hiddenLayers: [32, 32], epochs: 10 });
    const second = make({ hiddenLayers: [32, 32], epochs: 10 });
    await first.fit(train.archs, train.accuracies);
    await second.fit(train.archs, train.accuracies);
    const predicted = first.predict(test.archs);
    expect(second.predict(test.archs)).toEqual(predicted);
    const json = JSON.parse(JSON.stringify(first.toJSON()));
    expect(json).toMatchObject({
      kind: 'mlp',
      space: 'attentivenas',
      encoder: 'one-hot',
      featureCount: 81,
    });
    const loaded = loadPredictor(json, { space: attentivenasSpace }) as MlpPredictor;
    created.push(loaded);
    expect(loaded.predict(test.archs)).toEqual(predicted);
    expect(() => loadPredictor(json, { space: tinySpace })).toThrow(
      /made for space 'attentivenas'/,
    );
    expect(() => loadPurePredictor(json)).toThrow(/@supernas\/predictors\/mlp/);
  });

  it('refuses weights that do not fit its layers', async () => {
    const mlp = make({ hiddenLayers: [8], epochs: 1 });
    await mlp.fit(train.archs, train.accuracies);
    const json = { ...mlp.toJSON(), hiddenLayers: [9] };
    expect(() => loadPredictor(json)).toThrow(
      /weightSpecs shapes must be \[\[81,9\],\[9\],\[9,1\],\[1\]\]/,
    );
  });
});
