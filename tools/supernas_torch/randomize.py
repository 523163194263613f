"""Random but well-scaled weights for parity tests: every number matters and none is trivial."""

import torch
import torch.nn as nn

from .space import max_arch


def randomize_supernet(model, generator, calibration_resolution=None):
    """Random conv/linear weights and biases, BN gamma in [0.5, 1.5], beta ~ N(0, 0.1), and
    running statistics taken from one batch through the largest subnet (so activations stay in
    range through the depth) and then jittered, so eval differs from train mode."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)) and module.bias is not None:
                module.bias.copy_(0.1 * torch.randn(module.bias.shape, generator=generator))
            if isinstance(module, nn.BatchNorm2d) and module.affine:
                module.weight.copy_(0.5 + torch.rand(module.weight.shape, generator=generator))
                module.bias.copy_(0.1 * torch.randn(module.bias.shape, generator=generator))

        arch = max_arch(model.space)
        if calibration_resolution is not None:
            arch['resolution'] = calibration_resolution
        batch = torch.randn(
            (4, model.input_channels, arch['resolution'], arch['resolution']), generator=generator
        )
        batch_norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d) and m.affine]
        momenta = [m.momentum for m in batch_norms]
        for module in batch_norms:
            module.momentum = 1.0
        was_training = model.training
        model.train()
        model(batch, arch)
        model.train(was_training)
        for module, momentum in zip(batch_norms, momenta):
            module.momentum = momentum

        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                shape = module.running_mean.shape
                # Shifts in units of each channel's own spread: an absolute shift would be many
                # standard deviations for a nearly constant channel and blow activations up.
                spread = module.running_var.sqrt()
                module.running_mean.add_(0.1 * spread * torch.randn(shape, generator=generator))
                module.running_var.mul_(0.8 + 0.4 * torch.rand(shape, generator=generator))
                module.num_batches_tracked.fill_(7)
    return model
