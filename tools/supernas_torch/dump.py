"""The neutral tensor dump read by `importTorchDump` in `@supernas/elastic`.

    DIR/manifest.json  {format: 'supernas-torch-dump', formatVersion: 1, space, numClasses,
                        inputChannels, source, skipped, tensors: [{name, shape, dtype, offset, length}]}
    DIR/tensors.bin    every tensor as little-endian float32, C order, PyTorch layout (OIHW convs,
                       [out, in] linear); `offset` and `length` count bytes.
"""

import json
import os
import shutil
import tempfile

import numpy as np
import torch

from .model import AttentiveNasSupernet

FORMAT = 'supernas-torch-dump'
FORMAT_VERSION = 1


class CheckpointMismatchError(ValueError):
    """A state_dict does not fit the supernet of a space; carries the offending keys."""

    def __init__(self, missing, unexpected, mismatched, space_name=None):
        self.missing = missing
        self.unexpected = unexpected
        self.mismatched = mismatched
        # Shapes first: one wrong shape says more about a wrong space than a page of missing keys.
        lines = ['key %s has shape %s, expected %s' % (key, list(actual), list(expected))
                 for key, expected, actual in mismatched]
        lines += ['missing key %s' % key for key in missing]
        lines += ['unexpected key %s' % key for key in unexpected]
        shown = lines[:10] + (['... and %d more' % (len(lines) - 10)] if len(lines) > 10 else [])
        counts = '%d shape mismatches, %d missing keys, %d unexpected keys' % (
            len(mismatched), len(missing), len(unexpected))
        target = 'the %s space' % space_name if space_name else 'the space'
        super().__init__('checkpoint does not match %s (%s):\n  %s' % (target, counts, '\n  '.join(shown)))


def infer_sizes(state_dict):
    """numClasses and inputChannels read off the classifier and the stem."""
    classifier = state_dict.get('classifier.linear.linear.weight')
    stem = state_dict.get('first_conv.conv.conv.weight')
    if classifier is None or stem is None:
        raise CheckpointMismatchError(
            [key for key, value in (('classifier.linear.linear.weight', classifier),
                                    ('first_conv.conv.conv.weight', stem)) if value is None],
            [], [],
        )
    return int(classifier.shape[0]), int(stem.shape[1])


def check_state_dict(space, state_dict, num_classes=None, input_channels=None):
    """Raises CheckpointMismatchError unless `state_dict` has exactly the supernet's keys and shapes."""
    inferred_classes, inferred_channels = infer_sizes(state_dict)
    model = AttentiveNasSupernet(
        space,
        num_classes=num_classes or inferred_classes,
        input_channels=input_channels or inferred_channels,
    )
    expected = model.state_dict()
    missing = [key for key in expected if key not in state_dict]
    unexpected = [key for key in state_dict if key not in expected]
    mismatched = [
        (key, tuple(expected[key].shape), tuple(state_dict[key].shape))
        for key in expected
        if key in state_dict and tuple(expected[key].shape) != tuple(state_dict[key].shape)
    ]
    if missing or unexpected or mismatched:
        raise CheckpointMismatchError(missing, unexpected, mismatched, space.get('name'))
    return model


def write_dump(space, state_dict, out_dir, source=None):
    """Writes the dump atomically: into a sibling temp folder, then renamed over `out_dir`."""
    num_classes, input_channels = infer_sizes(state_dict)
    parent = os.path.dirname(os.path.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix='.torch-dump-', dir=parent)
    try:
        # mkdtemp makes the folder private; the dump is an ordinary output folder.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)
        tensors, skipped, offset = [], [], 0
        with open(os.path.join(staging, 'tensors.bin'), 'wb') as handle:
            for name, value in state_dict.items():
                if not torch.is_floating_point(value):
                    # num_batches_tracked: an int64 counter that no forward pass reads.
                    skipped.append(name)
                    continue
                data = value.detach().cpu().contiguous().numpy().astype('<f4', copy=False)
                raw = data.tobytes(order='C')
                handle.write(raw)
                tensors.append({
                    'name': name,
                    'shape': list(data.shape),
                    'dtype': 'float32',
                    'offset': offset,
                    'length': len(raw),
                })
                offset += len(raw)
        manifest = {
            'format': FORMAT,
            'formatVersion': FORMAT_VERSION,
            'space': space,
            'numClasses': num_classes,
            'inputChannels': input_channels,
            'source': source,
            'skipped': skipped,
            'tensors': tensors,
        }
        with open(os.path.join(staging, 'manifest.json'), 'w') as handle:
            json.dump(manifest, handle, indent=1)
        if os.path.isdir(out_dir):
            shutil.rmtree(out_dir)
        os.rename(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def read_dump(out_dir):
    """The dump back as {name: float32 numpy array}, for checks."""
    with open(os.path.join(out_dir, 'manifest.json')) as handle:
        manifest = json.load(handle)
    with open(os.path.join(out_dir, 'tensors.bin'), 'rb') as handle:
        data = handle.read()
    arrays = {}
    for entry in manifest['tensors']:
        chunk = data[entry['offset']: entry['offset'] + entry['length']]
        arrays[entry['name']] = np.frombuffer(chunk, dtype='<f4').reshape(entry['shape'])
    return manifest, arrays
