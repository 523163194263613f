#!/usr/bin/python3
"""PyTorch reference numbers for the supernas benchmarks, on the supernet of tools/supernas_torch.

    /usr/bin/python3 bench/torch/sandwich_step.py --case tiny-train --repeats 5 --json
    /usr/bin/python3 bench/torch/sandwich_step.py --case a0-infer --json
    /usr/bin/python3 bench/torch/sandwich_step.py --case attentivenas-train --repeats 2 --json

Cases:
  tiny-train          one sandwich step (max, 2 random, min) on the `tiny` space, batch 64 of
                      28x28 images: forward + backward of each subnet, then one SGD (Nesterov)
                      update. Label-smoothed CE (0.1) on the max subnet, soft-target distillation
                      (KL up to a constant) from the max subnet's detached logits on the others.
                      Every subnet runs at 28 px (the arch's resolution is set to 28).
                      images/s counts the batch's images once per sandwich step.
  a0-infer            AttentiveNAS-A0 eval forward at 192 px, batch 1 and batch 16:
                      ms per batch and images/s.
  attentivenas-train  the same sandwich step on the `attentivenas` space, batch 16 at 192 px.

PyTorch runs on 2 threads (--threads) with channels_last tensors. Each line printed is JSON:
{case, backend: 'pytorch', median, min, max, unit, ...details}; time records also carry
cpuMedian (process CPU time, same unit) and every record the 1-minute load average, since other
work on a 2-core machine inflates wall times. On a busy machine, OpenMP threads that spin-wait
for each other make 2-thread runs 10-30x slower: run with OMP_WAIT_POLICY=PASSIVE there (the
policy in force is recorded as ompWaitPolicy). The first run is a warm-up and is not counted.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tools'))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from supernas_torch.model import AttentiveNasSupernet  # noqa: E402
from supernas_torch.space import load_space, max_arch, min_arch, sample_arch, seeded_rng  # noqa: E402

A0 = {
    'resolution': 192,
    'width': [16, 16, 24, 32, 64, 112, 192, 216, 1792],
    'depth': [1, 3, 3, 3, 3, 3, 1],
    'kernel_size': [3, 3, 3, 3, 3, 3, 3],
    'expand_ratio': [1, 4, 4, 4, 4, 6, 6],
}

TRAIN_CASES = {
    # space, batch, resolution, input channels, classes
    'tiny-train': ('tiny', 64, 28, 1, 10),
    'attentivenas-train': ('attentivenas', 16, 192, 3, 1000),
}


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


def bench_train(case, repeats, seed):
    space_name, batch, resolution, channels, classes = TRAIN_CASES[case]
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
               'subnetsPerStep': 4, 'repeats': repeats}
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
        details = {'arch': 'AttentiveNAS-A0', 'batch': batch, 'resolution': 192, 'repeats': repeats}
        records.append(summarize('a0-infer', milliseconds, 'ms', cpuMedian=statistics.median(cpu_milliseconds), **details))
        records.append(summarize('a0-infer', [1000 * batch / ms for ms in milliseconds], 'images/s', **details))
    return records


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--case', required=True, choices=['tiny-train', 'a0-infer', 'attentivenas-train'])
    parser.add_argument('--repeats', type=int, default=None,
                        help='timed runs after one warm-up (default 5; 20 for a0-infer; 2 for attentivenas-train)')
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--json', action='store_true', help='print JSON lines only')
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    if args.case == 'a0-infer':
        records = bench_infer(args.repeats or 20, args.seed)
    else:
        default = 2 if args.case == 'attentivenas-train' else 5
        records = bench_train(args.case, args.repeats or default, args.seed)
    # Wall time is what is compared; the load average and process CPU time (all threads, spin
    # waits included) say how much other work on the machine may have inflated it.
    environment = {'threads': args.threads, 'torch': torch.__version__, 'memoryFormat': 'channels_last',
                   'machine': platform.machine(), 'loadAverage': round(os.getloadavg()[0], 2),
                   'ompWaitPolicy': os.environ.get('OMP_WAIT_POLICY', 'default')}
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
