#!/usr/bin/python3
"""PyTorch reference numbers for the supernas benchmarks, on the supernet of tools/supernas_torch.

    /usr/bin/python3 bench/torch/sandwich_step.py --case tiny-train --data BATCHES --archs ARCHS --json
    /usr/bin/python3 bench/torch/sandwich_step.py --case a0-infer --json
    /usr/bin/python3 bench/torch/sandwich_step.py --case attentivenas-train --repeats 2 --json

Cases:
  tiny-train          the sandwich step of the default `supernas train` job, on the batches and
                      archs that apps/train/bench/sandwich.bench.mjs writes for both sides: real
                      Fashion-MNIST training batches of 64 through the default augmentation
                      (BATCHES, from apps/train/bench/make-batches.mjs, at Fashion-MNIST's own
                      28 px, as the job delivers them) and per step [max, 2 random, min] archs of
                      the `tiny` space, each at its own resolution (24 or 28: the batch is resized
                      bilinear, half-pixel centres, as supernas does). Max subnet: label-smoothed
                      CE (0.1) with dropout and drop-connect 0.1; the others: adaptive
                      alpha-divergence (alpha -1 / 1, clip 5) against the max's detached logits.
                      Gradients summed, clipped by value 1.0, one Nesterov SGD step (lr 0.1,
                      momentum 0.9, weight decay 1e-5 off BN and biases). Step k trains on batch k
                      and arch row k (cycling when there are fewer). images/s counts the batch's
                      images once per sandwich step.
  a0-infer            AttentiveNAS-A0 eval forward at 192 px on random inputs, batch 1 and
                      batch 16: ms per batch and images/s. PyTorch runs the dynamic supernet,
                      which re-slices its weights on every call (supernas runs its extracted
                      static subnet: not like for like, see the *-static-infer cases).
  a0-static-infer     the same, on the static subnet get_active_subnet extracts (plain
  tiny-max-static-infer  Conv2d / BatchNorm2d / Linear with copied weights), as supernas'
  tiny-min-static-infer  extractSubnet: like for like. tiny: the default job's max (28 px) and
                      min (24 px) subnets, 1 input channel, 10 classes.
  attentivenas-train  a sandwich step (max, 2 random, min, all at 192 px) on the `attentivenas`
                      space, batch 16 of random inputs and labels: label-smoothed CE (0.1) on the
                      max, soft-target distillation (KL up to a constant) on the others, SGD
                      (Nesterov, weight decay on every parameter).

PyTorch runs on 2 threads (--threads) with channels_last tensors. Each line printed is JSON:
{case, backend: 'pytorch', median, min, max, unit, ...details}; time records also carry
cpuMedian (process CPU time, same unit) and every record the 1-minute load average, since other
work on a 2-core machine inflates wall times. On a busy machine, OpenMP threads that spin-wait
for each other make 2-thread runs 10-30x slower: run with OMP_WAIT_POLICY=PASSIVE there (the
policy in force is recorded as ompWaitPolicy). The first step or run is a warm-up and is not
counted; tiny-train runs the archs file's warmupSteps first (30 from sandwich.bench.mjs).
"""

import argparse
import json
import os
import platform
import statistics
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tools'))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from supernas_torch.model import AttentiveNasSupernet  # noqa: E402
from supernas_torch.space import load_space, max_arch, min_arch, sample_arch, seeded_rng  # noqa: E402
from supernas_torch.static_subnet import get_active_subnet  # noqa: E402

from recipe import adaptive_alpha_parts, label_smoothed_ce, nesterov_sgd, resize  # noqa: E402

A0 = {
    'resolution': 192,
    'width': [16, 16, 24, 32, 64, 112, 192, 216, 1792],
    'depth': [1, 3, 3, 3, 3, 3, 1],
    'kernel_size': [3, 3, 3, 3, 3, 3, 3],
    'expand_ratio': [1, 4, 4, 4, 4, 6, 6],
}

# Static-subnet inference cases: space, arch (a dict, or a function of the space), input channels,
# classes, label.
STATIC_INFER_CASES = {
    'a0-static-infer': ('attentivenas', lambda space: A0, 3, 1000, 'AttentiveNAS-A0'),
    'tiny-max-static-infer': ('tiny', max_arch, 1, 10, 'tiny max'),
    'tiny-min-static-infer': ('tiny', min_arch, 1, 10, 'tiny min'),
}

# Random-input train cases: space, batch, resolution, input channels, classes.
RANDOM_TRAIN_CASES = {
    'attentivenas-train': ('attentivenas', 16, 192, 3, 1000),
}
DATA_DESCRIPTION = 'fashion-mnist train, default augmentation'
DEFAULT_JOB_LOSS = ('max: label-smoothed CE 0.1, dropout 0.1, drop-connect 0.1; '
                    'others: adaptive alpha-divergence (alpha -1/1, clip 5) from the max')


def summarize(case, samples, unit, **details):
    return {
        'case': case,
        'backend': 'pytorch',
        'median': statistics.median(samples),
        'min': min(samples),
        'max': max(samples),
        'unit': unit,
        **details,
    }


def sandwich_archs(space, rng, resolution, middle=2):
    archs = [max_arch(space)] + [sample_arch(space, rng) for _ in range(middle)] + [min_arch(space)]
    for arch in archs:
        arch['resolution'] = resolution
    return archs


def sandwich_step(model, optimizer, images, labels, archs, label_smoothing):
    optimizer.zero_grad(set_to_none=True)
    teacher = None
    for index, arch in enumerate(archs):
        logits = model(images, arch)
        if index == 0:
            loss = F.cross_entropy(logits, labels, label_smoothing=label_smoothing)
            teacher = F.softmax(logits.detach(), dim=1)
        else:
            # Soft-target cross entropy: KL(teacher || student) plus the teacher's entropy, a
            # constant, so the gradient is the KL's (as the reference's KLLossSoft).
            loss = -(teacher * F.log_softmax(logits, dim=1)).sum(1).mean()
        loss.backward()
    optimizer.step()


def read_batches(path):
    """Images [batches, batch, C, H, W] (channels_last per batch) and int64 labels [batches, batch]
    from make-batches.mjs's file: uint32 header length, JSON header, float32 NHWC, int32 labels."""
    with open(path, 'rb') as handle:
        data = handle.read()
    (header_length,) = struct.unpack_from('<I', data, 0)
    header = json.loads(data[4: 4 + header_length].decode('utf8'))
    if header.get('format') != 'supernas-bench-batches' or header.get('version') != 1:
        raise ValueError('%s is not a supernas-bench-batches v1 file (header %r)' % (path, header))
    n, batch = header['batches'], header['batchSize']
    shape = (n, batch, header['height'], header['width'], header['channels'])
    pixels = shape[0] * shape[1] * shape[2] * shape[3] * shape[4]
    offset = 4 + header_length
    images = torch.frombuffer(bytearray(data[offset: offset + 4 * pixels]), dtype=torch.float32).reshape(shape)
    labels = torch.frombuffer(bytearray(data[offset + 4 * pixels: offset + 4 * pixels + 4 * n * batch]),
                              dtype=torch.int32).reshape(n, batch)
    # NHWC memory is exactly NCHW channels_last: a permute, no copy.
    return header, images.permute(0, 1, 4, 2, 3), labels.long()


def default_job_step(model, optimizer, images, labels, archs):
    """One sandwich step as @supernas/trainer's sandwichStep with the default `supernas train` config."""
    optimizer.zero_grad(set_to_none=True)
    teacher = None
    losses = []
    for index, arch in enumerate(archs):
        x = resize(images, arch['resolution'])
        if index == 0:
            logits = model(x, arch, dropout=0.1, drop_connect=0.1)
            loss = label_smoothed_ce(logits, labels, 0.1)
            teacher = logits.detach()
            value = loss.detach()
        else:
            logits = model(x, arch)
            value, loss = adaptive_alpha_parts(logits, teacher, alpha_min=-1.0, alpha_max=1.0, clip=5.0)
        loss.backward()
        # The loss value as supernas reports it (the divergence, not its gradient surrogate).
        losses.append(value.item())
    for parameter in model.parameters():
        if parameter.grad is not None:
            parameter.grad.clamp_(-1.0, 1.0)
    optimizer.step()
    return losses


def bench_default_job(repeats, seed, data_path, archs_path):
    header, images, labels = read_batches(data_path)
    with open(archs_path) as handle:
        arch_spec = json.load(handle)
    arch_rows = arch_spec['steps']
    # Untimed steps first, each with its own archs (sandwich.bench.mjs says why).
    warmup = arch_spec.get('warmupSteps', 1)
    space = load_space(header['space'])
    torch.manual_seed(seed)
    model = AttentiveNasSupernet(space, num_classes=header['numClasses'], input_channels=header['channels'])
    model = model.to(memory_format=torch.channels_last).train()
    optimizer = nesterov_sgd(model, lr=0.1)
    batch = header['batchSize']
    seconds, cpu_seconds, first_losses = [], [], None
    for step in range(warmup + repeats):
        # Made contiguous outside the timed step, as supernas builds its input tensors outside it.
        x = images[step % len(images)].contiguous(memory_format=torch.channels_last)
        y = labels[step % len(labels)]
        archs = arch_rows[step % len(arch_rows)]
        start, cpu_start = time.perf_counter(), time.process_time()
        losses = default_job_step(model, optimizer, x, y, archs)
        if step >= warmup:
            seconds.append(time.perf_counter() - start)
            cpu_seconds.append(time.process_time() - cpu_start)
        elif step == 0:
            first_losses = losses
    used = arch_rows[: warmup + repeats]
    details = {
        'batch': batch, 'resolution': header['height'], 'inputChannels': header['channels'],
        'numClasses': header['numClasses'], 'subnetsPerStep': len(arch_rows[0]), 'repeats': repeats,
        'warmupSteps': warmup,
        'data': DATA_DESCRIPTION,
        'resolutions': sorted({arch['resolution'] for row in used for arch in row}),
        'loss': DEFAULT_JOB_LOSS,
        'firstStepLosses': [round(loss, 4) for loss in first_losses],
    }
    return [
        summarize('tiny-train', [batch / s for s in seconds], 'images/s', imagesCounted='batch per sandwich step',
                  **details),
        summarize('tiny-train', seconds, 's/step', cpuMedian=statistics.median(cpu_seconds), **details),
    ]


def bench_train(case, repeats, seed):
    space_name, batch, resolution, channels, classes = RANDOM_TRAIN_CASES[case]
    space = load_space(space_name)
    torch.manual_seed(seed)
    rng = seeded_rng(seed)
    model = AttentiveNasSupernet(space, num_classes=classes, input_channels=channels)
    model = model.to(memory_format=torch.channels_last).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-5)
    images = torch.randn(batch, channels, resolution, resolution).contiguous(memory_format=torch.channels_last)
    labels = torch.randint(0, classes, (batch,))
    seconds, cpu_seconds = [], []
    for step in range(repeats + 1):
        archs = sandwich_archs(space, rng, resolution)
        start, cpu_start = time.perf_counter(), time.process_time()
        sandwich_step(model, optimizer, images, labels, archs, 0.1)
        if step > 0:
            seconds.append(time.perf_counter() - start)
            cpu_seconds.append(time.process_time() - cpu_start)
    details = {'batch': batch, 'resolution': resolution, 'inputChannels': channels, 'numClasses': classes,
               'subnetsPerStep': 4, 'repeats': repeats, 'data': 'random normal images, random labels',
               'resolutions': [resolution], 'loss': 'max: label-smoothed CE 0.1; others: KL from the max'}
    return [
        summarize(case, [batch / s for s in seconds], 'images/s', imagesCounted='batch per sandwich step', **details),
        summarize(case, seconds, 's/step', cpuMedian=statistics.median(cpu_seconds), **details),
    ]


def bench_infer(repeats, seed):
    space = load_space('attentivenas')
    torch.manual_seed(seed)
    model = AttentiveNasSupernet(space, num_classes=1000).to(memory_format=torch.channels_last).eval()
    records = []
    for batch in (1, 16):
        images = torch.randn(batch, 3, 192, 192).contiguous(memory_format=torch.channels_last)
        milliseconds, cpu_milliseconds = [], []
        with torch.no_grad():
            for run in range(repeats + 1):
                start, cpu_start = time.perf_counter(), time.process_time()
                model(images, A0)
                if run > 0:
                    milliseconds.append(1000 * (time.perf_counter() - start))
                    cpu_milliseconds.append(1000 * (time.process_time() - cpu_start))
        details = {'arch': 'AttentiveNAS-A0', 'batch': batch, 'resolution': 192, 'repeats': repeats,
                   'data': 'random normal images'}
        records.append(summarize('a0-infer', milliseconds, 'ms', cpuMedian=statistics.median(cpu_milliseconds), **details))
        records.append(summarize('a0-infer', [1000 * batch / ms for ms in milliseconds], 'images/s', **details))
    return records


def time_forward(model, images, repeats):
    milliseconds, cpu_milliseconds = [], []
    with torch.no_grad():
        for run in range(repeats + 1):
            start, cpu_start = time.perf_counter(), time.process_time()
            model(images)
            if run > 0:
                milliseconds.append(1000 * (time.perf_counter() - start))
                cpu_milliseconds.append(1000 * (time.process_time() - cpu_start))
    return milliseconds, cpu_milliseconds


def bench_static_infer(case, repeats, seed):
    space_name, choose, channels, classes, label = STATIC_INFER_CASES[case]
    space = load_space(space_name)
    arch = choose(space)
    torch.manual_seed(seed)
    supernet = AttentiveNasSupernet(space, num_classes=classes, input_channels=channels)
    supernet = supernet.to(memory_format=torch.channels_last).eval()
    start = time.perf_counter()
    model = get_active_subnet(supernet, arch)
    extract_seconds = time.perf_counter() - start
    del supernet
    resolution = arch['resolution']
    records = []
    for batch in (1, 16):
        images = torch.randn(batch, channels, resolution, resolution).contiguous(memory_format=torch.channels_last)
        milliseconds, cpu_milliseconds = time_forward(model, images, repeats)
        details = {'arch': label, 'batch': batch, 'resolution': resolution, 'inputChannels': channels,
                   'numClasses': classes, 'repeats': repeats, 'data': 'random normal images',
                   'model': 'static subnet (get_active_subnet), BN not folded',
                   'extractSeconds': round(extract_seconds, 4)}
        records.append(summarize(case, milliseconds, 'ms', cpuMedian=statistics.median(cpu_milliseconds), **details))
        records.append(summarize(case, [1000 * batch / ms for ms in milliseconds], 'images/s', **details))
    return records


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--case', required=True,
                        choices=['tiny-train', 'a0-infer', 'attentivenas-train', *STATIC_INFER_CASES])
    parser.add_argument('--repeats', type=int, default=None,
                        help='timed runs after one warm-up (default 5; 20 for the infer cases; 2 for attentivenas-train)')
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--data', help='tiny-train: the batches file apps/train/bench/make-batches.mjs writes')
    parser.add_argument('--archs', help='tiny-train: JSON {"steps": [[max, middle, middle, min], ...]}')
    parser.add_argument('--json', action='store_true', help='print JSON lines only')
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    if args.case == 'a0-infer':
        records = bench_infer(args.repeats or 20, args.seed)
    elif args.case in STATIC_INFER_CASES:
        records = bench_static_infer(args.case, args.repeats or 20, args.seed)
    elif args.case == 'tiny-train':
        if args.data is None or args.archs is None:
            parser.error('tiny-train needs --data and --archs (apps/train/bench/sandwich.bench.mjs writes both)')
        records = bench_default_job(args.repeats or 5, args.seed, args.data, args.archs)
    else:
        records = bench_train(args.case, args.repeats or 2, args.seed)
    # Wall time is what is compared; the load average and process CPU time (all threads, spin
    # waits included) say how much other work on the machine may have inflated it.
    environment = {'threads': args.threads, 'torch': torch.__version__, 'memoryFormat': 'channels_last',
                   'machine': platform.machine(), 'loadAverage': round(os.getloadavg()[0], 2),
                   'ompWaitPolicy': os.environ.get('OMP_WAIT_POLICY', 'default'),
                   'gompSpincount': os.environ.get('GOMP_SPINCOUNT', 'default')}
    for record in records:
        record.update(environment)
        if args.json:
            print(json.dumps(record))
        else:
            print('%-20s %10.2f %-9s (min %.2f, max %.2f, batch %d)' % (
                record['case'], record['median'], record['unit'], record['min'], record['max'], record['batch']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
