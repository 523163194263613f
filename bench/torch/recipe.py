"""The default `supernas train` recipe in PyTorch, shared by train_tiny.py and sandwich_step.py.

Losses as @supernas/losses computes them (label-smoothed CE, KL, AlphaNet's adaptive
alpha-divergence), the bilinear resize of @supernas/trainer's resizeBatch, and Nesterov SGD with
weight decay off BN and biases as @supernas/trainer's Sgd with isDecayedParameter.
"""

import torch
import torch.nn.functional as F


def resize(x, resolution):
    """NCHW batch to `resolution`: bilinear with half-pixel centres, as tf resizeBilinear(halfPixelCenters)."""
    if x.size(-1) == resolution and x.size(-2) == resolution:
        return x
    return F.interpolate(x, size=(resolution, resolution), mode='bilinear', align_corners=False)


def label_smoothed_ce(logits, labels, smoothing):
    log_probs = F.log_softmax(logits, dim=1)
    target = torch.full_like(log_probs, smoothing / logits.size(1))
    target.scatter_(1, labels.unsqueeze(1), 1.0 - smoothing + smoothing / logits.size(1))
    return -(target * log_probs).sum(1).mean()


def f_divergence(student, teacher, alpha, clip):
    """D_alpha(teacher || student) per sample and a surrogate whose gradient is its gradient."""
    q = F.softmax(student, dim=1).detach()
    log_q = F.log_softmax(student, dim=1)
    ratio = F.softmax(teacher, dim=1) / q
    if abs(alpha) < 1e-3:
        ratio = ratio.clamp(0, clip)
        f, rho = -ratio.log(), ratio.log() - 1.0
        base = 0.0
    elif abs(alpha - 1.0) < 1e-3:
        f, rho = ratio * ratio.log(), ratio
        base = 0.0
    else:
        powered = ratio.pow(alpha).clamp(0, clip)
        base = 1.0 / alpha / (alpha - 1.0)
        f, rho = powered * base, powered / alpha + base
    value = (q * (f - base)).sum(1)
    surrogate = -(q * rho * log_q).sum(1)
    return value, surrogate


def adaptive_alpha_parts(student, teacher, alpha_min=-1.0, alpha_max=1.0, clip=5.0):
    """AlphaNet's loss: per sample the larger of D_alpha_min and D_alpha_max (alpha_max on ties).
    Returns the batch mean of that divergence (the value @supernas/losses reports) and a
    surrogate whose gradient is the loss's; `teacher` is detached logits."""
    left, left_surrogate = f_divergence(student, teacher, alpha_min, clip)
    right, right_surrogate = f_divergence(student, teacher, alpha_max, clip)
    pick_left = (left > right).float()
    divergence = (pick_left * left + (1 - pick_left) * right).mean()
    return divergence.detach(), (pick_left * left_surrogate + (1 - pick_left) * right_surrogate).mean()


def adaptive_alpha(student, teacher, alpha_min=-1.0, alpha_max=1.0, clip=5.0):
    """The surrogate of adaptive_alpha_parts: backpropagate this."""
    return adaptive_alpha_parts(student, teacher, alpha_min, alpha_max, clip)[1]


def kl(student, teacher):
    return -(F.softmax(teacher, 1) * F.log_softmax(student, 1)).sum(1).mean()


def nesterov_sgd(model, lr, momentum=0.9, weight_decay=1e-5):
    """Nesterov SGD whose weight decay skips biases and BN affine parameters."""
    decayed = [p for n, p in model.named_parameters() if not n.endswith('bias') and '.bn.' not in n]
    others = [p for n, p in model.named_parameters() if n.endswith('bias') or '.bn.' in n]
    return torch.optim.SGD(
        [{'params': decayed, 'weight_decay': weight_decay}, {'params': others, 'weight_decay': 0}],
        lr=lr, momentum=momentum, nesterov=True,
    )
