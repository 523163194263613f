import type { SearchSpace } from '@supernas/search-space';
import { RandomForestPredictor } from './forest/random-forest.js';
import { checkTrees, type TreeArrays } from './forest/tree-arrays.js';
import { expectedMessage, PredictorError } from './predictor-error.js';

/** What `tools/import_sklearn_forest.py` writes. */
export interface SklearnForestDump {
  readonly format: 'sklearn-forest-dump';
  readonly formatVersion: 1;
  /** `RandomForestRegressor` (or `ExtraTreesRegressor`: same arrays, same prediction). */
  readonly estimator: string;
  readonly sklearnVersion: string;
  readonly nFeatures: number;
  readonly trees: readonly TreeArrays[];
  /** scikit-learn's own predictions for archs the tool was given, to check the import. */
  readonly checks?: readonly { arch: unknown; features: number[]; prediction: number }[];
}

/**
 * A scikit-learn forest regressor (dumped by `tools/import_sklearn_forest.py`) as our
 * `RandomForestPredictor` with the `reference` encoder: raw `[resolution, ...width, ...depth,
 * ...kernelSize, ...expandRatio]`, the input the AttentiveNAS predictor was trained on. The trees
 * keep scikit-learn's arrays, so predictions equal scikit-learn's.
 */
export function importSklearnForest(dump: unknown, space: SearchSpace): RandomForestPredictor {
  const fail = (what: string, expected: string, value: unknown): never => {
    throw new PredictorError(
      `scikit-learn forest dump: ${expectedMessage(what, expected, value)}`,
      {
        code: 'invalid_sklearn_dump',
        value,
      },
    );
  };
  if (typeof dump !== 'object' || dump === null) fail('the dump', 'a JSON object', dump);
  const record = dump as Partial<SklearnForestDump>;
  if (record.format !== 'sklearn-forest-dump')
    fail(
      'format',
      "'sklearn-forest-dump' (written by tools/import_sklearn_forest.py)",
      record.format,
    );
  if (record.formatVersion !== 1) fail('formatVersion', '1', record.formatVersion);
  const predictor = new RandomForestPredictor({ space, encoder: 'reference' });
  if (record.nFeatures !== predictor.encoder.length) {
    fail(
      'nFeatures',
      `${predictor.encoder.length} (the reference encoding of space '${space.name}': resolution, widths, depths, kernel sizes, expand ratios)`,
      record.nFeatures,
    );
  }
  checkTrees(record.trees, predictor.encoder.length);
  predictor.setTrees(record.trees as TreeArrays[], {
    kind: 'scikit-learn',
    estimator: record.estimator,
    sklearnVersion: record.sklearnVersion,
  });
  return predictor;
}
