import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attentivenasSpace, createRng, sampleArch, tinySpace } from '@supernas/search-space';
import { describeWithPython, referencePredictorFile, runTool } from '@supernas/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSklearnForest, type SklearnForestDump } from './import-sklearn-forest.js';
import { loadPredictor } from './load-predictor.js';
import { publishedAttentivenasModels } from './published-models.js';

const referenceModel = referencePredictorFile;

describeWithPython(
  'sklearn',
  'importSklearnForest (the reference acc_predictor.joblib)',
  () => {
    let dir: string;
    let dump: SklearnForestDump;
    const rng = createRng(2024);
    const randomArchs = Array.from({ length: 1000 }, () => sampleArch(attentivenasSpace, rng));

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'sklearn-forest-'));
      const archs = [...publishedAttentivenasModels.map((model) => model.arch), ...randomArchs];
      // The tool reads the reference's snake_case, as the AttentiveNAS configs spell archs.
      const snake = archs.map(({ kernelSize, expandRatio, ...rest }) => ({
        ...rest,
        kernel_size: kernelSize,
        expand_ratio: expandRatio,
      }));
      writeFileSync(join(dir, 'archs.json'), JSON.stringify(snake));
      runTool('import_sklearn_forest.py', [
        referenceModel,
        '--out',
        join(dir, 'dump.json'),
        '--archs',
        join(dir, 'archs.json'),
      ]);
      dump = JSON.parse(readFileSync(join(dir, 'dump.json'), 'utf8'));
    });

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads the 100 trees of depth 15 over 31 features', () => {
      expect(dump.estimator).toBe('RandomForestRegressor');
      expect(dump.nFeatures).toBe(31);
      expect(dump.trees).toHaveLength(100);
    });

    it("gives scikit-learn's predictions on 1000 random archs (<= 1e-6 relative; in fact equal)", () => {
      const forest = importSklearnForest(dump, attentivenasSpace);
      const checks = dump.checks!.slice(publishedAttentivenasModels.length);
      const predicted = forest.predict(randomArchs);
      let worst = 0;
      checks.forEach((check, i) => {
        worst = Math.max(
          worst,
          Math.abs(predicted[i]! - check.prediction) / Math.abs(check.prediction),
        );
      });
      expect(worst).toBeLessThanOrEqual(1e-6);
      expect(predicted).toEqual(checks.map((check) => check.prediction));
      // The tool builds its rows from the arch objects; our encoder must give the same numbers.
      checks.forEach((check, i) => {
        expect(forest.encoder.encode(randomArchs[i]!)).toEqual(check.features);
      });
    });

    it('reproduces the published predictions of AttentiveNAS-A0..A6, also after a JSON round trip', () => {
      const forest = importSklearnForest(dump, attentivenasSpace);
      const loaded = loadPredictor(JSON.parse(JSON.stringify(forest.toJSON())), {
        space: attentivenasSpace,
      });
      const archs = publishedAttentivenasModels.map((model) => model.arch);
      for (const predictor of [forest, loaded]) {
        const predicted = predictor.predict(archs);
        publishedAttentivenasModels.forEach((model, i) => {
          // The published list rounds to 3 decimals, then 2: A4 is 70.8048 -> 70.805 -> 70.81.
          const published = Number(Number(predicted[i]!.toFixed(3)).toFixed(2));
          expect(published, model.name).toBe(model.predictedAccuracy);
          expect(Math.abs(predicted[i]! - model.predictedAccuracy)).toBeLessThan(0.006);
          expect(predicted[i]).toBe(dump.checks![i]!.prediction);
        });
      }
      expect(forest.toJSON().source).toMatchObject({
        kind: 'scikit-learn',
        estimator: 'RandomForestRegressor',
      });
    });

    it('refuses a dump whose feature count does not fit the space', () => {
      expect(() => importSklearnForest(dump, tinySpace)).toThrow(
        /nFeatures must be \d+ \(the reference encoding of space 'tiny'/,
      );
    });
  },
  [referenceModel],
);

describe('importSklearnForest', () => {
  it('refuses something that is not a dump', () => {
    expect(() => importSklearnForest({ trees: [] }, attentivenasSpace)).toThrow(
      /format must be 'sklearn-forest-dump' \(written by tools\/import_sklearn_forest.py\), got undefined/,
    );
  });
});
