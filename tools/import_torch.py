#!/usr/bin/python3
"""Converts an AttentiveNAS / AlphaNet PyTorch supernet checkpoint into the neutral dump that
`importTorchDump` (`@supernas/elastic`) reads.

    /usr/bin/python3 tools/import_torch.py CHECKPOINT --space attentivenas --out DIR

CHECKPOINT is a `torch.save`d `{"state_dict": ...}` (as the reference repos write) or a bare
state_dict; a `module.` prefix is stripped. The keys and shapes are checked against the supernet
of the space before anything is written. Exit status: 0 written, 2 bad input.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from supernas_torch.dump import CheckpointMismatchError, check_state_dict, write_dump  # noqa: E402
from supernas_torch.model import state_dict_from_checkpoint  # noqa: E402
from supernas_torch.space import InvalidSpaceError, load_space  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('checkpoint', help='a .pth / .pth.tar file')
    parser.add_argument('--space', required=True, help='preset name (attentivenas, tiny) or a space JSON file')
    parser.add_argument('--out', required=True, help='folder to write manifest.json and tensors.bin into')
    parser.add_argument('--ema', action='store_true', help='use "state_dict_ema" when the checkpoint has one')
    args = parser.parse_args(argv)

    try:
        space = load_space(args.space)
        if not os.path.isfile(args.checkpoint):
            raise FileNotFoundError('checkpoint %s does not exist' % args.checkpoint)
        try:
            checkpoint = torch.load(args.checkpoint, map_location='cpu')
        except Exception as error:  # torch.load raises many types for a file that is not a checkpoint
            raise ValueError('cannot read %s as a PyTorch checkpoint: %s' % (args.checkpoint, error))
        state_dict = state_dict_from_checkpoint(checkpoint, use_ema=args.ema)
        check_state_dict(space, state_dict)
        manifest = write_dump(space, state_dict, args.out, source=os.path.abspath(args.checkpoint))
    except (InvalidSpaceError, CheckpointMismatchError, FileNotFoundError, ValueError) as error:
        print('import_torch: %s' % error, file=sys.stderr)
        return 2
    total = sum(entry['length'] for entry in manifest['tensors']) // 4
    print(json.dumps({
        'out': os.path.abspath(args.out),
        'space': space['name'],
        'numClasses': manifest['numClasses'],
        'inputChannels': manifest['inputChannels'],
        'tensors': len(manifest['tensors']),
        'values': total,
        'skipped': len(manifest['skipped']),
    }))
    return 0


if __name__ == '__main__':
    sys.exit(main())
