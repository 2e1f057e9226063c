"""The three training methods and the evaluation attack, with the lab's semantics.

One optimiser step = the method's gradient (below), then torch.optim.SGD at the step's learning
rate. BatchNorm running statistics move once per step, on the method's one 'train' pass: SAM's
second pass and every PGD pass use batch statistics with momentum 0 (running statistics untouched).
"""
import math
from contextlib import contextmanager
from typing import Iterator, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

BN_MOMENTUM = 0.1
TINY = 1e-12  # guards divisions by a norm that may be 0


def learning_rate(schedule: str, lr: float, step: int, total_steps: int) -> float:
    """The rate of optimiser step `step` (0-based) of `total_steps`."""
    t = step / total_steps if total_steps > 0 else 0.0
    if schedule == 'constant':
        return lr
    if schedule == 'piecewise':
        # The paper's schedule: x0.1 at 75% and again at 90% of training.
        return lr * 0.01 if t >= 0.9 else lr * 0.1 if t >= 0.75 else lr
    if schedule == 'cosine':
        # Cosine annealing to 0 (Loshchilov & Hutter, 2017, without restarts).
        return 0.5 * lr * (1 + math.cos(math.pi * t))
    raise ValueError(f'unknown schedule {schedule!r}')


@contextmanager
def frozen_batchnorm(model: nn.Module) -> Iterator[None]:
    """Batch statistics for normalising, running statistics untouched (momentum 0)."""
    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    for m in bns:
        m.momentum = 0.0
    try:
        yield
    finally:
        for m in bns:
            m.momentum = BN_MOMENTUM


def loss_and_correct(logits: torch.Tensor, y: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    return F.cross_entropy(logits, y), (logits.argmax(1) == y).sum()


def random_start(x: torch.Tensor, norm: str, eps: float, generator: torch.Generator) -> torch.Tensor:
    """linf: U[-eps, eps]^d; l2: a uniform random direction times eps * U[0, 1], per example."""
    if norm == 'linf':
        return (torch.rand(x.shape, generator=generator) * 2 - 1).mul_(eps).to(x.device)
    d = torch.randn(x.shape, generator=generator)
    radius = eps * torch.rand((x.shape[0],) + (1,) * (x.dim() - 1), generator=generator)
    return (d / per_example_norm(d).clamp_min(TINY) * radius).to(x.device)


def per_example_norm(v: torch.Tensor) -> torch.Tensor:
    return v.flatten(1).norm(dim=1).view((-1,) + (1,) * (v.dim() - 1))


def project(x: torch.Tensor, adv: torch.Tensor, norm: str, eps: float, bounded: bool) -> torch.Tensor:
    """Back into the eps-ball around x, then into [0, 1] for pixels."""
    delta = adv - x
    if norm == 'linf':
        delta = delta.clamp(-eps, eps)
    else:
        delta = delta * torch.clamp(eps / per_example_norm(delta).clamp_min(TINY), max=1.0)
    out = x + delta
    return out.clamp(0, 1) if bounded else out


def pgd(model: nn.Module, x: torch.Tensor, y: torch.Tensor, norm: str, eps: float, step_size, steps: int,
        bounded: bool, generator: torch.Generator, keep_first_miss: bool = False) -> torch.Tensor:
    """Projected gradient ascent on the inputs (Madry et al., 2018): a random start in the eps-ball,
    then `steps` steps x' = P(x' + a_i * sign(grad)) (linf) or P(x' + a_i * grad / ||grad||_2) (l2),
    a_i = step_size, or step_size[i] when it is a list (the evaluation's schedule, eval_step_sizes).
    The caller sets the BatchNorm mode (frozen in training, eval in evaluation). eps = 0 returns x.
    keep_first_miss (evaluation): each example keeps the first iterate, the start included, that the
    model misclassifies, so an example counts as broken when any iterate broke it (as APGD counts)."""
    adv = project(x, x + random_start(x, norm, eps, generator), norm, eps, bounded).detach()
    kept, found = None, None
    if keep_first_miss:
        with torch.no_grad():
            kept, found = adv.clone(), model(adv).argmax(1) != y
    sizes = step_size if isinstance(step_size, list) else [step_size] * steps
    for i in range(steps):
        adv.requires_grad_(True)
        with torch.enable_grad():
            loss = F.cross_entropy(model(adv), y)
            (g,) = torch.autograd.grad(loss, adv)
        direction = g.sign() if norm == 'linf' else g / (per_example_norm(g) + TINY)
        adv = project(x, adv.detach() + sizes[i] * direction, norm, eps, bounded).detach()
        if keep_first_miss:
            with torch.no_grad():
                kept = torch.where(found.view(-1, *([1] * (x.dim() - 1))), kept, adv)
                found = found | (model(adv).argmax(1) != y)
    return kept if keep_first_miss else adv


def sgd_gradients(ddp_model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """Plain gradient: one 'train' pass. Under DDP, backward() leaves the gradient averaged over all replicas."""
    loss, correct = loss_and_correct(ddp_model(x), y)
    loss.backward()
    return loss.detach(), correct


def sam_gradients(ddp_model: nn.Module, x: torch.Tensor, y: torch.Tensor, rho: float) -> Tuple[torch.Tensor, torch.Tensor]:
    """Sharpness-Aware Minimization (Foret et al., 2021):
        g   = grad L(w)                          (all-reduced over replicas: the global gradient)
        e_w = rho * g / (||g||_2 + 1e-12)        one L2 norm over all parameters
        g'  = grad L(w + e_w)                    same batch, BatchNorm frozen, all-reduced again
    then w is restored from copies and SGD steps from w with g'. Both passes use the gradient of the
    whole global batch, so the perturbation is the one of the paper, not a per-replica m-sharpness.
    With rho = 0, g' is g and the step is SGD's exactly."""
    params = [p for p in ddp_model.parameters() if p.requires_grad]
    loss, correct = sgd_gradients(ddp_model, x, y)
    grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in params]
    norm = torch.sqrt(sum((g.double() ** 2).sum() for g in grads)).float()
    scale = rho / (norm + TINY)
    saved = [p.detach().clone() for p in params]
    with torch.no_grad():
        for p, g in zip(params, grads):
            p.add_(g * scale)
    for p in params:
        p.grad = None
    try:
        with frozen_batchnorm(ddp_model):
            F.cross_entropy(ddp_model(x), y).backward()
    finally:
        with torch.no_grad():
            for p, s in zip(params, saved):
                p.copy_(s)
    return loss, correct


def at_gradients(ddp_model: nn.Module, local_model: nn.Module, x: torch.Tensor, y: torch.Tensor, run: dict,
                 bounded: bool, generator: torch.Generator) -> Tuple[torch.Tensor, torch.Tensor]:
    """Adversarial training (Madry et al., 2018): PGD on the replica's own examples with BatchNorm
    frozen, then one 'train' pass on x_adv gives the loss, the accuracy and the gradient."""
    with frozen_batchnorm(local_model):
        x_adv = pgd(local_model, x, y, run['norm'], run['eps'], run['stepSize'], run['steps'], bounded, generator)
    return sgd_gradients(ddp_model, x_adv, y)


def eval_step_sizes(eps: float, steps: int, schedule: str) -> list:
    """The evaluation attack's step sizes, as the lab's src/core/train/evalStepSizes.ts (spec
    eval.pgdSchedule), for i = 0 .. k-1. 'cosine': eps/16 + eps (1 + cos(pi i / k)), from about
    2 eps (APGD's first step) down to eps/16 (a shrinking step, the main change of Croce & Hein's
    APGD over PGD). 'cosine-eps': eps/16 + (eps/2) (1 + cos(pi i / k)), from about eps (spec version
    2's default). 'madry': a fixed max(eps/4, 2.5 eps/k) (Madry et al. use 2.5 eps/k; at k = 10
    both are eps/4)."""
    if schedule == 'madry':
        return [max(eps / 4, 2.5 * eps / steps)] * steps
    half = {'cosine': 1.0, 'cosine-eps': 0.5}[schedule] * eps
    return [eps / 16 + half * (1 + math.cos(math.pi * i / steps)) for i in range(steps)]


def js_number(x: float) -> str:
    """A number as JavaScript's String(x) writes it (the lab keys robust accuracies by "<norm>:<eps>")."""
    if float(x).is_integer() and abs(x) < 1e21:
        return str(int(x))
    text = repr(float(x))
    if 'e' not in text:
        return text
    mantissa, exponent = text.split('e')
    e = int(exponent)
    if -7 < e < 21:
        digits = mantissa.replace('.', '').lstrip('-')
        point = (mantissa.lstrip('-').find('.') if '.' in mantissa else len(mantissa.lstrip('-'))) + e
        sign = '-' if x < 0 else ''
        if point <= 0:
            return f'{sign}0.{"0" * -point}{digits}'
        return f'{sign}{digits[:point]}.{digits[point:]}'.rstrip('.')
    return f'{mantissa}e{"+" if e > 0 else "-"}{abs(e)}'


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, attacks: list, pgd_steps: int, pgd_schedule: str,
             batch_size: int, bounded: bool, seed: int, device: torch.device) -> dict:
    """Clean accuracy, clean loss and PGD-k robust accuracy per attack (an example is broken when any
    iterate is misclassified), BatchNorm in eval mode. The
    attack starts come from a fresh generator at each evaluation, so evaluations differ only through the weights."""
    was_training = model.training
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    clean = 0
    loss_sum = 0.0
    robust = [0] * len(attacks)
    for start in range(0, y.numel(), batch_size):
        xb, yb = x[start:start + batch_size].to(device), y[start:start + batch_size].to(device)
        logits = model(xb)
        clean += int((logits.argmax(1) == yb).sum())
        loss_sum += float(F.cross_entropy(logits, yb, reduction='sum'))
        for k, a in enumerate(attacks):
            adv = pgd(model, xb, yb, a['norm'], a['eps'], eval_step_sizes(a['eps'], pgd_steps, pgd_schedule), pgd_steps, bounded, generator,
                      keep_first_miss=True)
            robust[k] += int((model(adv).argmax(1) == yb).sum())
    model.train(was_training)
    n = y.numel()
    return {
        'cleanAcc': clean / n,
        'cleanLoss': loss_sum / n,
        'robust': {f'{a["norm"]}:{js_number(a["eps"])}': r / n for a, r in zip(attacks, robust)},
    }
