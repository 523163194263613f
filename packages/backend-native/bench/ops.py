"""PyTorch side of the backend-native benchmark (run with /usr/bin/python3).

Reads commands on stdin, one per line, and answers each with one JSON line:
  ops            -> {"times": [seconds per case in bench/op-cases.json order]}
  train <steps>  -> {"seconds": wall time of <steps> training steps}
  infer <steps>  -> {"seconds": wall time of <steps> forward passes in eval mode}
  quit
Everything runs on 2 threads, channels_last, with the same shapes as the tfjs side; the model
mirrors bench/mbconv-net.mjs.
"""
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
torch.manual_seed(0)
CL = torch.channels_last
HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "op-cases.json")) as handle:
    SPEC = json.load(handle)

BLOCKS = [
    (16, 16, 1, 3, 1, True),
    (16, 24, 4, 3, 2, False),
    (24, 24, 4, 5, 1, True),
    (24, 40, 4, 5, 2, True),
    (40, 40, 6, 3, 1, True),
]


class Block(nn.Module):
    def __init__(self, in_channels, out_channels, expand_ratio, kernel_size, stride, se):
        super().__init__()
        hidden = in_channels * expand_ratio
        self.expand = None
        if expand_ratio != 1:
            self.expand = nn.Sequential(nn.Conv2d(in_channels, hidden, 1, bias=False), nn.BatchNorm2d(hidden), nn.SiLU())
        self.depthwise = nn.Sequential(
            nn.Conv2d(hidden, hidden, kernel_size, stride, kernel_size // 2, groups=hidden, bias=False),
            nn.BatchNorm2d(hidden),
            nn.SiLU(),
        )
        self.se = None
        if se:
            squeezed = max(8, hidden >> 2)
            self.se = nn.Sequential(
                nn.AdaptiveAvgPool2d(1),
                nn.Conv2d(hidden, squeezed, 1),
                nn.ReLU(),
                nn.Conv2d(squeezed, hidden, 1),
                nn.Sigmoid(),
            )
        self.project = nn.Sequential(nn.Conv2d(hidden, out_channels, 1, bias=False), nn.BatchNorm2d(out_channels))
        self.residual = stride == 1 and in_channels == out_channels

    def forward(self, x):
        h = self.expand(x) if self.expand is not None else x
        h = self.depthwise(h)
        if self.se is not None:
            h = h * self.se(h)
        h = self.project(h)
        return h + x if self.residual else h


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.SiLU())
        self.blocks = nn.Sequential(*[Block(*spec) for spec in BLOCKS])
        self.head = nn.Sequential(nn.Conv2d(40, 128, 1, bias=False), nn.BatchNorm2d(128), nn.SiLU())
        self.classifier = nn.Linear(128, 10)

    def forward(self, x):
        x = self.head(self.blocks(self.stem(x)))
        return self.classifier(x.mean((2, 3)))


def nchw(shape):
    """An NHWC shape from the spec as a channels_last NCHW tensor."""
    n, h, w, c = shape
    return torch.randn(n, c, h, w).contiguous(memory_format=CL)


def op_case(case):
    kind = case["kind"]
    if kind in ("conv", "depthwise"):
        n, h, w, c = case["input"]
        k, stride = case["kernelSize"], case["stride"]
        groups = c if kind == "depthwise" else 1
        out_channels = c if kind == "depthwise" else case["outChannels"]
        x = nchw(case["input"])
        weight = torch.randn(out_channels, c // groups, k, k).contiguous(memory_format=CL)
        pad = k // 2
        y = F.conv2d(x, weight, None, stride, pad, 1, groups)
        dy = torch.randn_like(y)
        mask = {"forward": None, "backwardInput": [True, False, False], "backwardFilter": [False, True, False]}[case["pass"]]
        if mask is None:
            return lambda: F.conv2d(x, weight, None, stride, pad, 1, groups)
        return lambda: torch.ops.aten.convolution_backward(
            dy, x, weight, None, [stride, stride], [pad, pad], [1, 1], False, [0, 0], groups, mask
        )
    if kind == "matmul":
        a = torch.randn(*case["a"])
        b = torch.randn(*case["b"])
        left = a.t() if case["transposeA"] else a
        right = b.t() if case["transposeB"] else b
        return lambda: torch.matmul(left, right)
    if kind == "binary":
        a, b = nchw(case["a"]), case["b"]
        other = nchw(b) if len(b) == 4 else torch.randn(b[0], 1, 1)
        op = {"mul": torch.mul, "add": torch.add, "sub": torch.sub}[case["op"]]
        return lambda: op(a, other)
    if kind == "unary":
        x = nchw(case["input"])
        op = {"sigmoid": torch.sigmoid, "relu": torch.relu, "relu6": torch.nn.functional.relu6}[case["op"]]
        return lambda: op(x)
    if kind == "reduce":
        x = nchw(case["input"])
        dims = [{0: 0, 1: 2, 2: 3, 3: 1}[axis] for axis in case["axes"]]
        if case["op"] == "sum":
            return lambda: x.sum(dims)
        return lambda: x.mean(dims, keepdim=True)
    if kind == "batchNorm":
        x = nchw(case["input"])
        c = case["input"][3]
        mean, var, weight, bias = torch.randn(c), torch.rand(c) + 0.5, torch.randn(c), torch.randn(c)
        return lambda: F.batch_norm(x, mean, var, weight, bias, False, 0.1, 1e-5)
    raise ValueError(f"unknown case kind {kind}")


def main():
    cases = [op_case(case) for case in SPEC["cases"]]
    batch, resolution = SPEC["batch"], SPEC["resolution"]
    model = Net().to(memory_format=CL)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    images = torch.randn(batch, 3, resolution, resolution).contiguous(memory_format=CL)
    labels = torch.randint(0, 10, (batch,))

    def train_step():
        model.train()
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        return loss.item()

    def infer_step():
        model.eval()
        with torch.no_grad():
            model(images).sum().item()

    with torch.no_grad():
        for run in cases:
            run()
    train_step()
    infer_step()
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        if words[0] == "ops":
            times = []
            with torch.no_grad():
                for run in cases:
                    started = time.perf_counter()
                    run()
                    times.append(time.perf_counter() - started)
            print(json.dumps({"times": times}), flush=True)
        elif words[0] in ("train", "infer"):
            steps = int(words[1])
            step = train_step if words[0] == "train" else infer_step
            started = time.perf_counter()
            for _ in range(steps):
                step()
            print(json.dumps({"seconds": time.perf_counter() - started}), flush=True)
        else:
            print(json.dumps({"error": f"unknown command {words[0]}"}), flush=True)


if __name__ == "__main__":
    main()
