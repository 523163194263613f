#!/usr/bin/python3
"""Converts a pickled scikit-learn forest regressor (e.g. the AttentiveNAS `acc_predictor.joblib`)
into the JSON that `importSklearnForest` (`@supernas/predictors`) reads.

    /usr/bin/python3 tools/import_sklearn_forest.py MODEL.joblib --out dump.json [--archs archs.json]

Each tree is written as scikit-learn's `tree_` arrays (`left`, `right`, `feature`, `threshold`,
`value`), numbers printed with Python's shortest round-trip repr, so float64 thresholds and leaf
values reach JavaScript unchanged. With `--archs` (a JSON list of arch objects, camelCase or the
reference's snake_case), the tool also writes scikit-learn's own prediction for each arch, its
input built as the AttentiveNAS README documents it:
`[resolution] + width + depth + kernel_size + expand_ratio`.

Unpickling runs code from the file: convert only files you trust.
Exit status: 0 written, 2 bad input.
"""

import argparse
import json
import os
import sys
import tempfile
import warnings


class BadInputError(Exception):
    pass


def arch_features(arch):
    def pick(*names):
        for name in names:
            if name in arch:
                return arch[name]
        raise BadInputError('arch %s has no %s' % (json.dumps(arch)[:200], ' / '.join(names)))

    return (
        [pick('resolution')]
        + list(pick('width'))
        + list(pick('depth'))
        + list(pick('kernel_size', 'kernelSize'))
        + list(pick('expand_ratio', 'expandRatio'))
    )


def tree_arrays(tree):
    value = tree.value
    if value.shape[1] != 1 or value.shape[2] != 1:
        raise BadInputError('only single-output regression trees are supported, got value shape %s' % (value.shape,))
    return {
        'left': [int(v) for v in tree.children_left],
        'right': [int(v) for v in tree.children_right],
        'feature': [int(v) for v in tree.feature],
        'threshold': [float(v) for v in tree.threshold],
        'value': [float(v) for v in value[:, 0, 0]],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('model', help='a joblib/pickle file holding a fitted RandomForestRegressor or ExtraTreesRegressor')
    parser.add_argument('--out', required=True, help='JSON file to write')
    parser.add_argument('--archs', help='JSON list of archs to predict with scikit-learn, for checking the import')
    args = parser.parse_args(argv)

    try:
        try:
            import joblib
            import numpy as np
            import sklearn
        except ImportError as error:
            raise BadInputError('%s: %s has no scikit-learn (apt-get install python3-sklearn, or point SUPERNAS_PYTHON at a Python that has it)' % (error, sys.executable))

        if not os.path.isfile(args.model):
            raise BadInputError('model file %s does not exist' % args.model)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            try:
                model = joblib.load(args.model)
            except Exception as error:  # joblib raises many types for a file that is not a pickle
                raise BadInputError('cannot unpickle %s (%s: %s); expected a joblib / pickle file of a scikit-learn forest' % (args.model, type(error).__name__, error))
        notes = sorted({str(warning.message).split('. ')[0] for warning in caught if 'version' in str(warning.message)})
        for note in notes[-1:]:  # one line per estimator type would repeat the same versions
            print('note: %s' % note, file=sys.stderr)
        estimators = getattr(model, 'estimators_', None)
        if estimators is None or not hasattr(model, 'n_features_in_') or not hasattr(estimators[0], 'tree_'):
            raise BadInputError('%s holds a %s, expected a fitted scikit-learn forest regressor' % (args.model, type(model).__name__))
        if getattr(model, 'n_outputs_', 1) != 1:
            raise BadInputError('the forest has %d outputs, expected 1' % model.n_outputs_)
        dump = {
            'format': 'sklearn-forest-dump',
            'formatVersion': 1,
            'estimator': type(model).__name__,
            'sklearnVersion': sklearn.__version__,
            'nFeatures': int(model.n_features_in_),
            'nEstimators': len(estimators),
            'maxDepth': getattr(model, 'max_depth', None),
            'trees': [tree_arrays(estimator.tree_) for estimator in estimators],
        }
        if args.archs:
            with open(args.archs) as handle:
                archs = json.load(handle)
            if not isinstance(archs, list) or not all(isinstance(arch, dict) for arch in archs):
                raise BadInputError('%s must hold a JSON list of arch objects' % args.archs)
            rows = [arch_features(arch) for arch in archs]
            for row in rows:
                if len(row) != model.n_features_in_:
                    raise BadInputError('an arch gives %d features (resolution, widths, depths, kernel sizes, expand ratios) but the forest reads %d: it was trained on another space' % (len(row), model.n_features_in_))
            predictions = model.predict(np.array(rows, dtype=np.float64)) if rows else []
            dump['checks'] = [
                {'arch': arch, 'features': row, 'prediction': float(prediction)}
                for arch, row, prediction in zip(archs, rows, predictions)
            ]
    except BadInputError as error:
        print('error: %s' % error, file=sys.stderr)
        return 2
    except (OSError, ValueError) as error:
        print('error: %s' % error, file=sys.stderr)
        return 2

    # Write next to the target, then rename: no half-written file on failure.
    directory = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix='.sklearn-forest-', suffix='.json', dir=directory)
    try:
        with os.fdopen(handle, 'w') as stream:
            json.dump(dump, stream, separators=(',', ':'))
        os.replace(temporary, args.out)
    except BaseException:
        os.unlink(temporary)
        raise
    print('wrote %s: %s, %d trees, %d nodes, %d features%s' % (
        args.out, dump['estimator'], len(dump['trees']), sum(len(t['left']) for t in dump['trees']),
        dump['nFeatures'], ', %d checks' % len(dump['checks']) if 'checks' in dump else ''))
    return 0


if __name__ == '__main__':
    sys.exit(main())
