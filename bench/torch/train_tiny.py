"""The default `supernas train` job in PyTorch: the reference to compare supernas' accuracy with.

Trains the `tiny` supernet (tools/supernas_torch, the same module tree and init as
@supernas/elastic) on Fashion-MNIST with the sandwich rule and in-place distillation, then
calibrates BN per subnet and reports top-1 on the 10k test split, as `supernas train` does:

    /usr/bin/python3 bench/torch/train_tiny.py --steps 1406 --distillation alpha --sampler uniform

Same recipe as apps/train's defaults: batch 64, pad-2 crop + flip, normalisation (0.286, 0.353),
bilinear resize to each subnet's resolution, max on label-smoothed CE (0.1) with dropout and
drop-connect 0.1, middle + min subnets on the distillation loss against the max's detached logits,
gradients summed, clipped by value 1.0, Nesterov SGD (momentum 0.9, weight decay 1e-5 off BN and
biases), linear warm-up (5%) then cosine to 0. Middle subnets are uniform (the attentive sampler is
supernas'); `--sampler none` trains max and min only.
"""

import argparse
import gzip
import json
import math
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tools'))
from supernas_torch.model import AttentiveNasSupernet  # noqa: E402
from supernas_torch.space import load_space, max_arch, min_arch, sample_arch  # noqa: E402

from recipe import adaptive_alpha, kl, label_smoothed_ce, nesterov_sgd, resize  # noqa: E402

DATA_DIR = '/usr/share/datasets/fashion-mnist'
MEAN, STD = 0.286, 0.353


def read_idx(path):
    with gzip.open(path, 'rb') as handle:
        data = handle.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], 'big') for i in range(dims)]
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def load_split(prefix):
    images = read_idx(os.path.join(DATA_DIR, '%s-images-idx3-ubyte.gz' % prefix))
    labels = read_idx(os.path.join(DATA_DIR, '%s-labels-idx1-ubyte.gz' % prefix))
    return images, labels.long()


def augment(images, generator, padding=2):
    """Pad-crop + flip on a uint8 [N, 28, 28] batch, normalised to float [N, 1, 28, 28]."""
    n, h, w = images.shape
    x = (images.float() / 255.0 - MEAN) / STD
    padded = F.pad(x, (padding, padding, padding, padding), value=(0.0 - MEAN) / STD)
    out = torch.empty(n, h, w)
    offsets = torch.randint(0, 2 * padding + 1, (n, 2), generator=generator)
    flips = torch.rand(n, generator=generator) < 0.5
    for i in range(n):
        dy, dx = offsets[i].tolist()
        crop = padded[i, dy: dy + h, dx: dx + w]
        out[i] = crop.flip(-1) if flips[i] else crop
    return out.unsqueeze(1)


def learning_rate(step, total, base, warmup_fraction):
    warmup = max(1, round(total * warmup_fraction))
    if step < warmup:
        return base * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return 0.5 * base * (1 + math.cos(math.pi * progress))


@torch.no_grad()
def evaluate(model, arch, train_images, test_images, test_labels, generator, batches=16, batch=128):
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d) and m.affine]
    for bn in bns:
        bn.reset_running_stats()
    model.train()
    for seen in range(batches):
        for bn in bns:
            bn.momentum = 1.0 / (seen + 1)  # a cumulative average of the batch statistics
        index = torch.randint(0, train_images.size(0), (batch,), generator=generator)
        model(resize(augment(train_images[index], generator), arch['resolution']), arch)
    model.eval()
    correct = 0
    for start in range(0, test_images.size(0), 500):
        x = (test_images[start: start + 500].float() / 255.0 - MEAN) / STD
        logits = model(resize(x.unsqueeze(1), arch['resolution']), arch)
        correct += (logits.argmax(1) == test_labels[start: start + 500]).sum().item()
    for bn in bns:
        bn.momentum = 0.0
    return correct / test_images.size(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--steps', type=int, default=1406)
    parser.add_argument('--batch', type=int, default=64)
    parser.add_argument('--lr', type=float, default=0.1)
    parser.add_argument('--warmup', type=float, default=0.05)
    parser.add_argument('--distillation', choices=['alpha', 'kl', 'none'], default='alpha')
    parser.add_argument('--sampler', choices=['uniform', 'none'], default='uniform')
    parser.add_argument('--middle', type=int, default=2)
    parser.add_argument('--dropout', type=float, default=0.1)
    parser.add_argument('--drop-connect', type=float, default=0.1)
    parser.add_argument('--kd-warmup', type=float, default=0.0,
                        help='fraction of the steps in which students train on labels before distilling')
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--log-every', type=int, default=100)
    parser.add_argument('--json', help='write the results here')
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    space = load_space('tiny')
    model = AttentiveNasSupernet(space, num_classes=10, input_channels=1)
    train_images, train_labels = load_split('train')
    test_images, test_labels = load_split('t10k')

    optimizer = nesterov_sgd(model, args.lr)
    largest, smallest = max_arch(space), min_arch(space)
    distill = {'alpha': adaptive_alpha, 'kl': kl}.get(args.distillation)
    started = time.time()
    order = torch.randperm(train_images.size(0), generator=generator)
    cursor = 0
    window = {'max': [], 'min': []}
    for step in range(args.steps):
        if cursor + args.batch > order.numel():
            order, cursor = torch.randperm(train_images.size(0), generator=generator), 0
        index = order[cursor: cursor + args.batch]
        cursor += args.batch
        images = augment(train_images[index], generator)
        labels = train_labels[index]
        lr = learning_rate(step, args.steps, args.lr, args.warmup)
        for group in optimizer.param_groups:
            group['lr'] = lr
        model.train()
        optimizer.zero_grad(set_to_none=True)
        middles = [sample_arch(space, rng) for _ in range(args.middle if args.sampler == 'uniform' else 0)]
        teacher = None
        for position, arch in enumerate([largest, *middles, smallest]):
            x = resize(images, arch['resolution'])
            if position == 0:
                logits = model(x, arch, dropout=args.dropout, drop_connect=args.drop_connect)
                loss = label_smoothed_ce(logits, labels, 0.1)
                teacher = logits.detach()
                window['max'].append(loss.item())
            else:
                logits = model(x, arch)
                on_labels = distill is None or step < args.kd_warmup * args.steps
                loss = label_smoothed_ce(logits, labels, 0.1) if on_labels else distill(logits, teacher)
                if position == len(middles) + 1:
                    window['min'].append(loss.item())
            loss.backward()
        for p in model.parameters():
            if p.grad is not None:
                p.grad.clamp_(-1.0, 1.0)
        optimizer.step()
        if (step + 1) % args.log_every == 0:
            print('step %d lr %.4f max %.3f min %.3f %.1f img/s' % (
                step + 1, lr, sum(window['max']) / len(window['max']), sum(window['min']) / len(window['min']),
                (step + 1) * args.batch / (time.time() - started)), flush=True)
            window = {'max': [], 'min': []}
    seconds = time.time() - started
    results = {
        'steps': args.steps, 'seconds': seconds, 'distillation': args.distillation, 'sampler': args.sampler,
        'max': evaluate(model, largest, train_images, test_images, test_labels, generator),
        'min': evaluate(model, smallest, train_images, test_images, test_labels, generator),
    }
    print(json.dumps(results))
    if args.json:
        with open(args.json, 'w') as handle:
            json.dump(results, handle)


if __name__ == '__main__':
    main()
