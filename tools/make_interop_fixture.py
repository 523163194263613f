#!/usr/bin/python3
"""Builds a PyTorch supernet with random weights, saves it as a reference-style checkpoint,
converts it with import_torch.py, and records eval logits of some subnets on fixed inputs, so
the TypeScript side can check that it computes the same numbers.

    /usr/bin/python3 tools/make_interop_fixture.py --space tiny --out DIR \
        --arch '{"resolution":28,...}' --arch max --arch min --batch 2

Writes DIR/checkpoint.pth, DIR/dump/{manifest.json,tensors.bin} and DIR/cases.json +
DIR/cases.bin: for each case its arch, the input (NHWC float32, ready for tfjs) and the logits
([N, numClasses] float32), by byte offset into cases.bin.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import import_torch  # noqa: E402
from supernas_torch.model import AttentiveNasSupernet  # noqa: E402
from supernas_torch.randomize import randomize_supernet  # noqa: E402
from supernas_torch.space import load_space, max_arch, min_arch, normalize_arch  # noqa: E402


def parse_arch(space, text):
    if text == 'max':
        return max_arch(space)
    if text == 'min':
        return min_arch(space)
    return normalize_arch(json.loads(text))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--space', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--arch', action='append', required=True, help='an ArchConfig JSON, "max" or "min"')
    parser.add_argument('--batch', type=int, default=2)
    parser.add_argument('--num-classes', type=int, default=10)
    parser.add_argument('--input-channels', type=int, default=3)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--calibration-resolution', type=int, default=None)
    parser.add_argument('--channels-last', action='store_true')
    args = parser.parse_args(argv)

    # One thread: the interop test runs several of these side by side on two cores.
    torch.set_num_threads(1)
    space = load_space(args.space)
    generator = torch.Generator().manual_seed(args.seed)
    torch.manual_seed(args.seed)
    model = AttentiveNasSupernet(space, num_classes=args.num_classes, input_channels=args.input_channels)
    randomize_supernet(model, generator, args.calibration_resolution)
    model.eval()

    os.makedirs(args.out, exist_ok=True)
    checkpoint_path = os.path.join(args.out, 'checkpoint.pth')
    # As the reference trainers save under DistributedDataParallel: a `module.` prefix.
    prefixed = {'module.' + key: value for key, value in model.state_dict().items()}
    torch.save({'state_dict': prefixed, 'epoch': 0}, checkpoint_path)

    # The converter's own entry point, in process (a second torch import costs seconds).
    status = import_torch.main([checkpoint_path, '--space', args.space, '--out', os.path.join(args.out, 'dump')])
    if status != 0:
        return status

    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    cases, offset = [], 0
    with open(os.path.join(args.out, 'cases.bin'), 'wb') as handle, torch.no_grad():
        for text in args.arch:
            arch = parse_arch(space, text)
            resolution = arch['resolution']
            x = torch.randn((args.batch, args.input_channels, resolution, resolution), generator=generator)
            if args.channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            logits = model(x, arch)
            nhwc = x.permute(0, 2, 3, 1).contiguous().numpy().astype('<f4').tobytes()
            raw_logits = logits.contiguous().numpy().astype('<f4').tobytes()
            handle.write(nhwc)
            handle.write(raw_logits)
            cases.append({
                'arch': arch,
                'inputShape': [args.batch, resolution, resolution, args.input_channels],
                'inputOffset': offset,
                'logitsShape': list(logits.shape),
                'logitsOffset': offset + len(nhwc),
            })
            offset += len(nhwc) + len(raw_logits)
    with open(os.path.join(args.out, 'cases.json'), 'w') as handle:
        json.dump({'space': space['name'], 'numClasses': args.num_classes, 'cases': cases}, handle, indent=1)
    print(json.dumps({'out': os.path.abspath(args.out), 'cases': len(cases)}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
