"""The AttentiveNAS / AlphaNet weight-sharing supernet in PyTorch, written for supernas.

The module tree mirrors the reference `AttentiveNasDynamicModel` (with `use_v3_head`) so that its
state_dict keys and shapes are the reference's: a published checkpoint loads with
`strict=True`. Unlike the reference, the subnet is an argument of `forward` instead of hidden
"active" state, and the space is data (the JSON schema of the TypeScript `SearchSpace`).

Reference names kept on purpose (they become the state_dict keys):
    first_conv.conv.conv.weight                       [maxFirst, inputChannels, k, k]
    first_conv.bn.bn.{weight,bias,running_mean,running_var,num_batches_tracked}
    first_conv.bn.bn_tracking.{0,1}.{running_mean,running_var,num_batches_tracked}
    blocks.<i>.mobile_inverted_conv.inverted_bottleneck.{conv.conv.weight, bn.*}   (expandRatio > 1)
    blocks.<i>.mobile_inverted_conv.depth_conv.conv.conv.weight   [maxMid, 1, maxK, maxK]
    blocks.<i>.mobile_inverted_conv.depth_conv.bn.*
    blocks.<i>.mobile_inverted_conv.depth_conv.se.fc.{reduce,expand}.{weight,bias}   (se stages)
    blocks.<i>.mobile_inverted_conv.point_linear.{conv.conv.weight, bn.*}
    blocks.<i>.shortcut.conv.conv.weight              [maxOut, maxIn, 1, 1]  (every block)
    last_conv.final_expand_layer.{conv.conv.weight, bn.*}
    last_conv.feature_mix_layer.conv.conv.weight      (no BN, no bias)
    classifier.linear.linear.{weight,bias}
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .space import check_space, make_divisible, normalize_arch, validate_arch

SE_REDUCTION = 4


def activate(x, name):
    if name == 'swish':
        return F.silu(x)
    if name == 'relu':
        return F.relu(x)
    if name == 'relu6':
        return F.relu6(x)
    if name == 'h_swish':
        return x * F.relu6(x + 3.0) / 6.0
    if name == 'h_sigmoid':
        return F.relu6(x + 3.0) / 6.0
    raise ValueError('unknown activation %r, expected swish, relu, relu6, h_swish or h_sigmoid' % name)


def _memory_format(x):
    # Filters follow the activations' layout so channels_last runs stay channels_last.
    if x.dim() == 4 and not x.is_contiguous() and x.is_contiguous(memory_format=torch.channels_last):
        return torch.channels_last
    return torch.contiguous_format


class ElasticBatchNorm(nn.Module):
    """BN over the first C channels of shared statistics; `bn_tracking` only exists so that
    reference checkpoints (which carry it) load strictly."""

    def __init__(self, max_channels, momentum, eps):
        super().__init__()
        self.bn = nn.BatchNorm2d(max_channels, momentum=momentum, eps=eps)
        self.bn_tracking = nn.ModuleList(
            [nn.BatchNorm2d(max_channels, affine=False), nn.BatchNorm2d(max_channels, affine=False)]
        )

    def forward(self, x):
        channels = x.size(1)
        bn = self.bn
        return F.batch_norm(
            x,
            bn.running_mean[:channels],
            bn.running_var[:channels],
            bn.weight[:channels],
            bn.bias[:channels],
            self.training,
            bn.momentum,
            bn.eps,
        )


class ElasticConv(nn.Module):
    """A regular conv whose output (and input) channels are a prefix of the shared filter bank."""

    def __init__(self, max_in, max_out, kernel_size=1, stride=1):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride
        self.conv = nn.Conv2d(max_in, max_out, kernel_size, stride=stride, bias=False)

    def forward(self, x, out_channels):
        weight = self.conv.weight[:out_channels, : x.size(1)].contiguous(memory_format=_memory_format(x))
        return F.conv2d(x, weight, None, self.stride, self.kernel_size // 2)


class ElasticDepthwiseConv(nn.Module):
    """A depthwise conv; a smaller kernel is the centre crop of the largest one."""

    def __init__(self, max_channels, max_kernel_size, stride):
        super().__init__()
        self.max_kernel_size = max_kernel_size
        self.stride = stride
        self.conv = nn.Conv2d(
            max_channels, max_channels, max_kernel_size, stride=stride, groups=max_channels, bias=False
        )

    def forward(self, x, kernel_size):
        channels = x.size(1)
        start = self.max_kernel_size // 2 - kernel_size // 2
        end = start + kernel_size
        weight = self.conv.weight[:channels, :, start:end, start:end]
        weight = weight.contiguous(memory_format=_memory_format(x))
        return F.conv2d(x, weight, None, self.stride, kernel_size // 2, 1, channels)


class ElasticSqueezeExcite(nn.Module):
    def __init__(self, max_channels):
        super().__init__()
        max_mid = make_divisible(max_channels // SE_REDUCTION, divisor=8)
        self.fc = nn.ModuleDict(
            {
                'reduce': nn.Conv2d(max_channels, max_mid, 1, bias=True),
                'expand': nn.Conv2d(max_mid, max_channels, 1, bias=True),
            }
        )

    def forward(self, x):
        channels = x.size(1)
        mid = make_divisible(channels // SE_REDUCTION, divisor=8)
        reduce, expand = self.fc['reduce'], self.fc['expand']
        gate = x.mean((2, 3), keepdim=True)
        gate = F.conv2d(gate, reduce.weight[:mid, :channels], reduce.bias[:mid])
        gate = F.relu(gate)
        gate = F.conv2d(gate, expand.weight[:channels, :mid], expand.bias[:channels])
        return x * activate(gate, 'h_sigmoid')


class ConvBnAct(nn.Module):
    def __init__(self, max_in, max_out, kernel_size, stride, activation, use_bn, bn_param):
        super().__init__()
        self.activation = activation
        self.conv = ElasticConv(max_in, max_out, kernel_size, stride)
        self.bn = ElasticBatchNorm(max_out, *bn_param) if use_bn else None

    def forward(self, x, out_channels):
        x = self.conv(x, out_channels)
        if self.bn is not None:
            x = self.bn(x)
        return activate(x, self.activation)


class MBConv(nn.Module):
    """1x1 expand (absent when the stage only allows expandRatio 1), depthwise kxk, optional SE,
    1x1 project."""

    def __init__(self, max_in, max_out, stage, stride, bn_param):
        super().__init__()
        self.activation = stage['activation']
        max_expand = max(stage['expandRatios'])
        max_mid = round(max_in * max_expand)
        if max_expand == 1:
            self.inverted_bottleneck = None
        else:
            self.inverted_bottleneck = nn.ModuleDict(
                {'conv': ElasticConv(max_in, max_mid), 'bn': ElasticBatchNorm(max_mid, *bn_param)}
            )
        depth_conv = {
            'conv': ElasticDepthwiseConv(max_mid, max(stage['kernelSizes']), stride),
            'bn': ElasticBatchNorm(max_mid, *bn_param),
        }
        if stage['se']:
            depth_conv['se'] = ElasticSqueezeExcite(max_mid)
        self.depth_conv = nn.ModuleDict(depth_conv)
        self.point_linear = nn.ModuleDict(
            {'conv': ElasticConv(max_mid, max_out), 'bn': ElasticBatchNorm(max_out, *bn_param)}
        )

    def forward(self, x, out_channels, kernel_size, expand_ratio):
        if self.inverted_bottleneck is not None:
            mid = make_divisible(round(x.size(1) * expand_ratio), 8)
            x = self.inverted_bottleneck['conv'](x, mid)
            x = activate(self.inverted_bottleneck['bn'](x), self.activation)
        x = self.depth_conv['conv'](x, kernel_size)
        x = activate(self.depth_conv['bn'](x), self.activation)
        if 'se' in self.depth_conv:
            x = self.depth_conv['se'](x)
        x = self.point_linear['conv'](x, out_channels)
        return self.point_linear['bn'](x)


class Shortcut(nn.Module):
    """Identity, or 2x2 average pool (strided blocks) and/or 1x1 conv (width change)."""

    def __init__(self, max_in, max_out, reduction):
        super().__init__()
        self.reduction = reduction
        self.conv = ElasticConv(max_in, max_out)

    def forward(self, x, out_channels):
        if self.reduction > 1:
            # Odd sizes pad one zero (counted in the mean) so the pool matches the strided conv.
            padding = 0 if x.size(-1) % 2 == 0 else 1
            x = F.avg_pool2d(x, self.reduction, padding=padding)
        if x.size(1) != out_channels:
            x = self.conv(x, out_channels)
        return x


class Block(nn.Module):
    def __init__(self, max_in, max_out, stage, stride, bn_param):
        super().__init__()
        self.mobile_inverted_conv = MBConv(max_in, max_out, stage, stride, bn_param)
        self.shortcut = Shortcut(max_in, max_out, stride)

    def forward(self, x, out_channels, kernel_size, expand_ratio, drop_connect):
        in_channels = x.size(1)
        residual = self.shortcut(x, out_channels)
        x = self.mobile_inverted_conv(x, out_channels, kernel_size, expand_ratio)
        if drop_connect > 0 and self.training and in_channels == out_channels and self.shortcut.reduction == 1:
            keep = 1.0 - drop_connect
            mask = torch.floor(keep + torch.rand([x.size(0), 1, 1, 1], dtype=x.dtype, device=x.device))
            x = x / keep * mask
        return x + residual


class ElasticLinear(nn.Module):
    def __init__(self, max_in, out_features):
        super().__init__()
        self.linear = nn.Linear(max_in, out_features, bias=True)

    def forward(self, x):
        return F.linear(x, self.linear.weight[:, : x.size(1)], self.linear.bias)


class AttentiveNasSupernet(nn.Module):
    """The supernet of `space`; `forward(x, arch)` runs the subnet `arch` (an ArchConfig dict,
    camelCase or the reference's snake_case) on NCHW input."""

    def __init__(self, space, num_classes=1000, input_channels=3, bn_momentum=0.0, bn_eps=1e-5):
        super().__init__()
        check_space(space)
        self.space = space
        self.num_classes = num_classes
        self.input_channels = input_channels
        bn_param = (bn_momentum, bn_eps)

        first = space['firstConv']
        self.first_conv = ConvBnAct(
            input_channels, max(first['widths']), first['kernelSize'], first['stride'],
            first['activation'], True, bn_param,
        )
        blocks = []
        self.stage_blocks = []
        max_in = max(first['widths'])
        for stage in space['stages']:
            max_out = max(stage['widths'])
            indices = []
            for position in range(max(stage['depths'])):
                stride = stage['stride'] if position == 0 else 1
                indices.append(len(blocks))
                blocks.append(Block(max_in, max_out, stage, stride, bn_param))
                max_in = max_out
            self.stage_blocks.append(indices)
        self.blocks = nn.ModuleList(blocks)

        last = space['lastConv']
        max_expand = max_in * last['expandRatio']
        self.last_conv = nn.ModuleDict(
            {
                'final_expand_layer': ConvBnAct(
                    max_in, max_expand, 1, 1, last['activation'], True, bn_param
                ),
                'feature_mix_layer': ConvBnAct(
                    max_expand, max(last['widths']), 1, 1, last['activation'], False, bn_param
                ),
            }
        )
        self.classifier = nn.ModuleDict({'linear': ElasticLinear(max(last['widths']), num_classes)})
        self.reset_parameters()

    def reset_parameters(self):
        """He (fan-out) init as the reference, BN to identity, and the last BN of every residual
        block to zero so each block starts as its shortcut."""
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                fan_out = module.kernel_size[0] * module.kernel_size[1] * module.out_channels
                nn.init.normal_(module.weight, 0.0, math.sqrt(2.0 / fan_out))
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
            elif isinstance(module, nn.BatchNorm2d) and module.affine:
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Linear):
                bound = 1.0 / math.sqrt(module.weight.size(1))
                nn.init.uniform_(module.weight, -bound, bound)
                nn.init.zeros_(module.bias)
        with torch.no_grad():
            for block in self.blocks:
                block.mobile_inverted_conv.point_linear['bn'].bn.weight.zero_()

    def forward(self, x, arch, dropout=0.0, drop_connect=0.0):
        arch = validate_arch(self.space, normalize_arch(arch))
        if x.size(-1) != arch['resolution'] or x.size(-2) != arch['resolution']:
            # As the reference: a batch at another size is resized to the subnet's resolution.
            x = F.interpolate(x, size=arch['resolution'], mode='bicubic')
        widths = arch['width']
        x = self.first_conv(x, widths[0])
        total_blocks = len(self.blocks)
        last_two = set(sum(self.stage_blocks[-2:], []))
        for stage_index, indices in enumerate(self.stage_blocks):
            for block_index in indices[: arch['depth'][stage_index]]:
                # Drop-connect grows with depth and, as in the reference, only in the last two stages.
                rate = drop_connect * block_index / total_blocks if block_index in last_two else 0.0
                x = self.blocks[block_index](
                    x, widths[stage_index + 1], arch['kernelSize'][stage_index],
                    arch['expandRatio'][stage_index], rate,
                )
        x = self.last_conv['final_expand_layer'](x, widths[-2] * self.space['lastConv']['expandRatio'])
        x = x.mean((2, 3), keepdim=True)
        x = self.last_conv['feature_mix_layer'](x, widths[-1])
        x = torch.flatten(x, 1)
        if dropout > 0 and self.training:
            x = F.dropout(x, p=dropout)
        return self.classifier['linear'](x)


def strip_module_prefix(state_dict):
    """DataParallel / DDP checkpoints prefix every key with `module.`."""
    if state_dict and all(key.startswith('module.') for key in state_dict):
        return {key[len('module.'):]: value for key, value in state_dict.items()}
    return dict(state_dict)


def state_dict_from_checkpoint(checkpoint, use_ema=False):
    if isinstance(checkpoint, dict) and 'state_dict' in checkpoint:
        key = 'state_dict_ema' if use_ema and 'state_dict_ema' in checkpoint else 'state_dict'
        checkpoint = checkpoint[key]
    if not isinstance(checkpoint, dict):
        raise ValueError('checkpoint holds %s, expected a state_dict or {"state_dict": ...}' % type(checkpoint).__name__)
    for key, value in checkpoint.items():
        if not torch.is_tensor(value):
            raise ValueError('checkpoint entry %r is a %s, expected a tensor: is the state_dict under another key (%s)?'
                             % (key, type(value).__name__, ', '.join(map(str, list(checkpoint)[:8]))))
    return strip_module_prefix(checkpoint)
