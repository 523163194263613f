"""A standalone PyTorch module for one subnet of an `AttentiveNasSupernet`: OFA's
`get_active_subnet`, with the arch as an argument.

The supernet re-slices its shared weights on every call (`weight[:out, :in]`, the centre crop of
a depthwise kernel, BN statistics prefixes); the static subnet copies each slice once into plain
`nn.Conv2d` / `nn.BatchNorm2d` / `nn.Linear` modules of exactly the subnet's shapes, as
`extractSubnet` of @supernas/elastic does on the TypeScript side. Its eval logits are the
supernet's for that arch (checked by tools/self_check.py). BN is not folded, as `extractSubnet`'s
output is not.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

from .model import SE_REDUCTION, activate
from .space import make_divisible, normalize_arch, validate_arch


def _conv(source, in_channels, out_channels, stride, kernel_size=None, groups=1, bias=None):
    """An nn.Conv2d holding the [out, in] prefix (and the centre kxk crop) of `source`'s weight."""
    weight = source.weight
    full = weight.size(-1)
    kernel_size = kernel_size or full
    start = full // 2 - kernel_size // 2
    conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=kernel_size // 2,
                     groups=groups, bias=bias is not None)
    with torch.no_grad():
        per_group = in_channels // groups
        conv.weight.copy_(weight[:out_channels, :per_group, start:start + kernel_size, start:start + kernel_size])
        if bias is not None:
            conv.bias.copy_(bias[:out_channels])
    return conv


def _bn(source, channels):
    """An nn.BatchNorm2d with the first `channels` of an ElasticBatchNorm's parameters and statistics."""
    shared = source.bn
    bn = nn.BatchNorm2d(channels, eps=shared.eps, momentum=shared.momentum)
    with torch.no_grad():
        for name in ('weight', 'bias', 'running_mean', 'running_var'):
            getattr(bn, name).copy_(getattr(shared, name)[:channels])
    return bn


class StaticConvBnAct(nn.Module):
    def __init__(self, conv, bn, activation):
        super().__init__()
        self.conv = conv
        self.bn = bn
        self.activation = activation

    def forward(self, x):
        x = self.conv(x)
        if self.bn is not None:
            x = self.bn(x)
        return activate(x, self.activation)


class StaticSqueezeExcite(nn.Module):
    def __init__(self, source, channels):
        super().__init__()
        mid = make_divisible(channels // SE_REDUCTION, divisor=8)
        reduce, expand = source.fc['reduce'], source.fc['expand']
        self.reduce = _conv(reduce, channels, mid, 1, bias=reduce.bias)
        self.expand = _conv(expand, mid, channels, 1, bias=expand.bias)

    def forward(self, x):
        gate = F.relu(self.reduce(x.mean((2, 3), keepdim=True)))
        return x * activate(self.expand(gate), 'h_sigmoid')


class StaticBlock(nn.Module):
    """One active MBConv block with its shortcut, at fixed in / mid / out widths and kernel size."""

    def __init__(self, source, in_channels, out_channels, kernel_size, expand_ratio):
        super().__init__()
        mb = source.mobile_inverted_conv
        activation = mb.activation
        depthwise = mb.depth_conv['conv']
        if mb.inverted_bottleneck is not None:
            mid = make_divisible(round(in_channels * expand_ratio), 8)
            ib = mb.inverted_bottleneck
            self.expand = StaticConvBnAct(_conv(ib['conv'].conv, in_channels, mid, 1), _bn(ib['bn'], mid), activation)
        else:
            mid = in_channels
            self.expand = None
        self.depthwise = StaticConvBnAct(
            _conv(depthwise.conv, mid, mid, depthwise.stride, kernel_size, groups=mid),
            _bn(mb.depth_conv['bn'], mid), activation,
        )
        self.se = StaticSqueezeExcite(mb.depth_conv['se'], mid) if 'se' in mb.depth_conv else None
        self.project = _conv(mb.point_linear['conv'].conv, mid, out_channels, 1)
        self.project_bn = _bn(mb.point_linear['bn'], out_channels)
        self.reduction = source.shortcut.reduction
        self.shortcut = (_conv(source.shortcut.conv.conv, in_channels, out_channels, 1)
                         if in_channels != out_channels else None)

    def forward(self, x):
        residual = x
        if self.reduction > 1:
            # As the supernet: odd sizes pad one zero (counted in the mean).
            padding = 0 if x.size(-1) % 2 == 0 else 1
            residual = F.avg_pool2d(residual, self.reduction, padding=padding)
        if self.shortcut is not None:
            residual = self.shortcut(residual)
        if self.expand is not None:
            x = self.expand(x)
        x = self.depthwise(x)
        if self.se is not None:
            x = self.se(x)
        return self.project_bn(self.project(x)) + residual


class StaticSubnet(nn.Module):
    def __init__(self, first_conv, blocks, final_expand, feature_mix, classifier, resolution):
        super().__init__()
        self.first_conv = first_conv
        self.blocks = nn.ModuleList(blocks)
        self.final_expand = final_expand
        self.feature_mix = feature_mix
        self.classifier = classifier
        self.resolution = resolution

    def forward(self, x):
        if x.size(-1) != self.resolution or x.size(-2) != self.resolution:
            x = F.interpolate(x, size=self.resolution, mode='bicubic')
        x = self.first_conv(x)
        for block in self.blocks:
            x = block(x)
        x = self.final_expand(x)
        x = self.feature_mix(x.mean((2, 3), keepdim=True))
        return self.classifier(torch.flatten(x, 1))


def get_active_subnet(supernet, arch):
    """The subnet `arch` of `supernet` as a standalone module with copied (not shared) weights,
    in eval mode and in the supernet's memory format for conv weights (channels_last if the
    supernet's are)."""
    space = supernet.space
    arch = validate_arch(space, normalize_arch(arch))
    widths = arch['width']
    first = supernet.first_conv
    first_conv = StaticConvBnAct(
        _conv(first.conv.conv, supernet.input_channels, widths[0], first.conv.stride),
        _bn(first.bn, widths[0]), first.activation,
    )
    blocks = []
    in_channels = widths[0]
    for stage_index, indices in enumerate(supernet.stage_blocks):
        for block_index in indices[: arch['depth'][stage_index]]:
            out_channels = widths[stage_index + 1]
            blocks.append(StaticBlock(
                supernet.blocks[block_index], in_channels, out_channels,
                arch['kernelSize'][stage_index], arch['expandRatio'][stage_index],
            ))
            in_channels = out_channels
    expand_layer = supernet.last_conv['final_expand_layer']
    expanded = widths[-2] * space['lastConv']['expandRatio']
    final_expand = StaticConvBnAct(
        _conv(expand_layer.conv.conv, in_channels, expanded, 1), _bn(expand_layer.bn, expanded),
        expand_layer.activation,
    )
    mix_layer = supernet.last_conv['feature_mix_layer']
    feature_mix = StaticConvBnAct(_conv(mix_layer.conv.conv, expanded, widths[-1], 1), None, mix_layer.activation)
    linear = supernet.classifier['linear'].linear
    classifier = nn.Linear(widths[-1], supernet.num_classes)
    with torch.no_grad():
        classifier.weight.copy_(linear.weight[:, : widths[-1]])
        classifier.bias.copy_(linear.bias)
    subnet = StaticSubnet(first_conv, blocks, final_expand, feature_mix, classifier, arch['resolution'])
    weight = first.conv.conv.weight
    if not weight.is_contiguous() and weight.is_contiguous(memory_format=torch.channels_last):
        subnet = subnet.to(memory_format=torch.channels_last)
    return subnet.eval()
