"""Search spaces and subnet configs, as plain dicts with the same schema as the TypeScript
`SearchSpace` / `ArchConfig` of `@supernas/search-space` (camelCase keys)."""

import json
import os
import random

SPACES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'spaces')

# Reference configs spell two fields in snake_case; both spellings are accepted on input.
ARCH_ALIASES = {
    'resolution': ('resolution',),
    'width': ('width',),
    'depth': ('depth',),
    'kernelSize': ('kernelSize', 'kernel_size'),
    'expandRatio': ('expandRatio', 'expand_ratio'),
}


class InvalidSpaceError(ValueError):
    pass


class InvalidArchError(ValueError):
    pass


def preset_names():
    return sorted(name[: -len('.json')] for name in os.listdir(SPACES_DIR) if name.endswith('.json'))


def load_space(name_or_path):
    """A preset name (`attentivenas`, `tiny`) or the path of a JSON file holding a space."""
    if os.path.isfile(name_or_path):
        path = name_or_path
    elif name_or_path in preset_names():
        path = os.path.join(SPACES_DIR, name_or_path + '.json')
    else:
        raise InvalidSpaceError(
            'space %r is neither a JSON file nor a preset (known presets: %s)'
            % (name_or_path, ', '.join(preset_names()))
        )
    with open(path) as handle:
        space = json.load(handle)
    check_space(space)
    return space


def check_space(space):
    for field in ('name', 'resolutions', 'firstConv', 'stages', 'lastConv'):
        if field not in space:
            raise InvalidSpaceError('space is missing %r' % field)
    for index, stage in enumerate(space['stages']):
        for field in ('widths', 'depths', 'kernelSizes', 'expandRatios', 'stride', 'se', 'activation'):
            if field not in stage:
                raise InvalidSpaceError('stage %d (%s) is missing %r' % (index, stage.get('name'), field))
        for kernel_size in stage['kernelSizes']:
            if kernel_size % 2 != 1:
                raise InvalidSpaceError('stage %d has even kernel size %d, expected odd' % (index, kernel_size))


def make_divisible(value, divisor=8, min_value=1):
    """Rounds a channel count to a multiple of `divisor`, never more than 10% down (as slim)."""
    rounded = max(min_value, int(value + divisor / 2) // divisor * divisor)
    if rounded < 0.9 * value:
        rounded += divisor
    return rounded


def normalize_arch(raw):
    """An ArchConfig dict with camelCase keys from camelCase or snake_case input."""
    arch = {}
    for field, names in ARCH_ALIASES.items():
        present = [name for name in names if name in raw]
        if not present:
            raise InvalidArchError('arch is missing %s' % ' / '.join(names))
        value = raw[present[0]]
        arch[field] = int(value) if field == 'resolution' else [v for v in value]
    return arch


def validate_arch(space, arch):
    stages = space['stages']
    checks = [
        ('resolution', [arch['resolution']], [space['resolutions']]),
        ('width', arch['width'],
         [space['firstConv']['widths']] + [s['widths'] for s in stages] + [space['lastConv']['widths']]),
        ('depth', arch['depth'], [s['depths'] for s in stages]),
        ('kernelSize', arch['kernelSize'], [s['kernelSizes'] for s in stages]),
        ('expandRatio', arch['expandRatio'], [s['expandRatios'] for s in stages]),
    ]
    for field, values, choices in checks:
        if len(values) != len(choices):
            raise InvalidArchError('%s has %d entries, expected %d' % (field, len(values), len(choices)))
        for index, (value, allowed) in enumerate(zip(values, choices)):
            if value not in allowed:
                raise InvalidArchError('%s[%d] is %r, expected one of %r' % (field, index, value, allowed))
    return arch


def _pick(space, choose):
    stages = space['stages']
    return {
        'resolution': choose(space['resolutions']),
        'width': [choose(space['firstConv']['widths'])]
        + [choose(s['widths']) for s in stages]
        + [choose(space['lastConv']['widths'])],
        'depth': [choose(s['depths']) for s in stages],
        'kernelSize': [choose(s['kernelSizes']) for s in stages],
        'expandRatio': [choose(s['expandRatios']) for s in stages],
    }


def max_arch(space):
    return _pick(space, max)


def min_arch(space):
    return _pick(space, min)


def sample_arch(space, rng):
    """A uniformly sampled subnet; `rng` is a `random.Random` so runs are reproducible."""
    return _pick(space, rng.choice)


def seeded_rng(seed):
    return random.Random(seed)
