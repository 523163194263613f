#!/usr/bin/python3
"""Cheap checks of the PyTorch side (no pytest needed); the vitest interop test runs this.

    /usr/bin/python3 tools/self_check.py

Prints one line per check and exits non-zero on the first failure.
"""

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import import_torch  # noqa: E402
from supernas_torch.dump import CheckpointMismatchError, check_state_dict, read_dump, write_dump  # noqa: E402
from supernas_torch.model import AttentiveNasSupernet, state_dict_from_checkpoint  # noqa: E402
from supernas_torch.randomize import randomize_supernet  # noqa: E402
from supernas_torch.space import (  # noqa: E402
    InvalidArchError, load_space, make_divisible, max_arch, min_arch, sample_arch, seeded_rng,
)
from supernas_torch.static_subnet import get_active_subnet  # noqa: E402

CHECKS = []


def check(function):
    CHECKS.append(function)
    return function


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


@check
def make_divisible_rounds_as_slim():
    for value, expected in ((64, 64), (100, 104), (36, 40), (12, 16), (120, 120), (1344, 1344)):
        expect(make_divisible(value) == expected, 'make_divisible(%d) = %d' % (value, make_divisible(value)))


@check
def attentivenas_supernet_has_the_reference_size():
    model = AttentiveNasSupernet(load_space('attentivenas'), num_classes=1000)
    parameters = sum(p.numel() for p in model.parameters())
    state = model.state_dict()
    expect(parameters == 23934704, 'attentivenas has %d parameters, expected 23934704' % parameters)
    expect(len(state) == 1468, 'attentivenas state_dict has %d keys, expected 1468' % len(state))
    for key, shape in (
        ('first_conv.conv.conv.weight', (24, 3, 3, 3)),
        ('blocks.0.mobile_inverted_conv.depth_conv.conv.conv.weight', (24, 1, 5, 5)),
        ('blocks.2.mobile_inverted_conv.inverted_bottleneck.conv.conv.weight', (144, 24, 1, 1)),
        ('blocks.7.mobile_inverted_conv.depth_conv.se.fc.reduce.weight', (48, 192, 1, 1)),
        ('blocks.8.mobile_inverted_conv.depth_conv.se.fc.reduce.weight', (64, 240, 1, 1)),
        ('blocks.2.shortcut.conv.conv.weight', (32, 24, 1, 1)),
        ('last_conv.final_expand_layer.conv.conv.weight', (1344, 224, 1, 1)),
        ('last_conv.feature_mix_layer.conv.conv.weight', (1984, 1344, 1, 1)),
        ('classifier.linear.linear.weight', (1000, 1984)),
        ('first_conv.bn.bn_tracking.1.running_var', (24,)),
    ):
        expect(tuple(state[key].shape) == shape, '%s is %s, expected %s' % (key, tuple(state[key].shape), shape))
    expect('blocks.0.mobile_inverted_conv.inverted_bottleneck.conv.conv.weight' not in state,
           'a stage with expand ratio 1 must have no inverted_bottleneck')


@check
def prefixed_checkpoint_loads_strictly():
    space = load_space('tiny')
    source = AttentiveNasSupernet(space, num_classes=10)
    checkpoint = {'state_dict': {'module.' + k: v for k, v in source.state_dict().items()}, 'epoch': 3}
    target = AttentiveNasSupernet(space, num_classes=10)
    target.load_state_dict(state_dict_from_checkpoint(checkpoint), strict=True)


@check
def channels_last_gives_the_same_logits():
    space = load_space('tiny')
    model = AttentiveNasSupernet(space, num_classes=10)
    randomize_supernet(model, torch.Generator().manual_seed(0))
    model.eval()
    x = torch.randn(2, 3, 28, 28)
    with torch.no_grad():
        for arch in (max_arch(space), min_arch(space)):
            arch['resolution'] = 28
            plain = model(x, arch)
            last = model.to(memory_format=torch.channels_last)(x.contiguous(memory_format=torch.channels_last), arch)
            model.to(memory_format=torch.contiguous_format)
            error = (plain - last).abs().max().item() / plain.abs().max().item()
            expect(error < 1e-5, 'channels_last differs by %g' % error)


@check
def static_subnets_give_the_supernet_logits():
    # tiny min / max / a random arch (at 28 px a strided shortcut pools an odd size), and an
    # attentivenas arch (SE, 5x5 kernels, width changes) in channels_last.
    cases = []
    tiny = load_space('tiny')
    cases += [(tiny, 10, arch, False) for arch in (max_arch(tiny), min_arch(tiny), sample_arch(tiny, seeded_rng(3)))]
    big = load_space('attentivenas')
    arch = sample_arch(big, seeded_rng(4))
    arch['resolution'] = 192
    cases.append((big, 1000, arch, True))
    for space, classes, arch, channels_last in cases:
        model = AttentiveNasSupernet(space, num_classes=classes)
        randomize_supernet(model, torch.Generator().manual_seed(1))
        model.eval()
        x = torch.randn(2, 3, arch['resolution'], arch['resolution'])
        if channels_last:
            model = model.to(memory_format=torch.channels_last)
            x = x.contiguous(memory_format=torch.channels_last)
        subnet = get_active_subnet(model, arch)
        with torch.no_grad():
            expected = model(x, arch)
            actual = subnet(x)
        parameters = sum(p.numel() for p in subnet.parameters())
        expect(parameters < sum(p.numel() for p in model.parameters()), 'static subnet is not smaller')
        error = (actual - expected).abs().max().item() / expected.abs().max().item()
        expect(error < 1e-5, '%s static subnet differs from the supernet by %g' % (space['name'], error))
        expect(not subnet.training, 'static subnet is not in eval mode')


@check
def snake_case_archs_run_and_bad_archs_are_named():
    space = load_space('tiny')
    model = AttentiveNasSupernet(space, num_classes=10).eval()
    arch = max_arch(space)
    snake = {'resolution': 24, 'width': arch['width'], 'depth': arch['depth'],
             'kernel_size': arch['kernelSize'], 'expand_ratio': arch['expandRatio']}
    with torch.no_grad():
        expect(tuple(model(torch.randn(1, 3, 24, 24), snake).shape) == (1, 10), 'logits shape')
    try:
        model(torch.randn(1, 3, 24, 24), dict(snake, depth=[9, 1, 1, 1]))
    except InvalidArchError as error:
        expect('depth[0] is 9' in str(error), 'message: %s' % error)
    else:
        raise AssertionError('an invalid depth was accepted')


@check
def training_mode_keeps_running_statistics_as_the_reference():
    # The reference trains with BN momentum 0: batch statistics, running ones untouched.
    space = load_space('tiny')
    model = AttentiveNasSupernet(space, num_classes=10).train()
    before = model.first_conv.bn.bn.running_mean.clone()
    model(torch.randn(4, 3, 32, 32), max_arch(space))
    expect(torch.equal(before, model.first_conv.bn.bn.running_mean), 'running mean changed')


@check
def mismatched_checkpoints_are_refused_naming_the_keys():
    space = load_space('tiny')
    state = AttentiveNasSupernet(space, num_classes=10).state_dict()
    missing = 'blocks.1.mobile_inverted_conv.point_linear.bn.bn.weight'
    wrong = 'blocks.0.mobile_inverted_conv.depth_conv.conv.conv.weight'
    broken = {k: v for k, v in state.items() if k != missing}
    broken[wrong] = torch.zeros(16, 1, 5, 5)
    try:
        check_state_dict(space, broken)
    except CheckpointMismatchError as error:
        expect(error.missing == [missing], 'missing: %s' % error.missing)
        expect(error.mismatched[0][0] == wrong, 'mismatched: %s' % error.mismatched)
        expect('has shape [16, 1, 5, 5], expected [16, 1, 3, 3]' in str(error), str(error))
    else:
        raise AssertionError('a broken state_dict was accepted')

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, 'broken.pth')
        torch.save({'state_dict': broken}, path)
        out = os.path.join(folder, 'dump')
        with open(os.devnull, 'w') as sink:
            stderr, sys.stderr = sys.stderr, sink
            try:
                status = import_torch.main([path, '--space', 'tiny', '--out', out])
            finally:
                sys.stderr = stderr
        expect(status == 2, 'exit status %d, expected 2' % status)
        expect(not os.path.exists(out), 'a refused checkpoint left %s behind' % out)


@check
def dumps_round_trip_in_pytorch_layout():
    space = load_space('tiny')
    state = AttentiveNasSupernet(space, num_classes=10, input_channels=1).state_dict()
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, 'dump')
        write_dump(space, state, out)
        manifest, arrays = read_dump(out)
        expect(manifest['numClasses'] == 10 and manifest['inputChannels'] == 1, 'sizes %s' % manifest)
        expect(all(name.endswith('num_batches_tracked') for name in manifest['skipped']), 'skipped')
        for name, array in arrays.items():
            expect(torch.equal(torch.from_numpy(array.copy()), state[name].float()), '%s changed' % name)
        expect(sorted(os.listdir(folder)) == ['dump'], 'left behind: %s' % os.listdir(folder))


def main():
    torch.set_num_threads(1)
    for function in CHECKS:
        function()
        print('ok', function.__name__)
    return 0


if __name__ == '__main__':
    sys.exit(main())
