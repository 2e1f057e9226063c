"""Reference step times in PyTorch on the CPU or a CUDA GPU, for scale against the lab's tfjs backends.

The models are the exported project's (pytorch/models.py, the layouts of src/core/model: PreAct
ResNet of He et al. 2016, 1x1 shortcut on the pre-activated input), the step semantics those of
src/core/train: SGD momentum 0.9 + weight decay 5e-4; SAM with one global L2 norm (Foret et al.
2021), BN frozen in the second pass; AT with PGD L-inf (Madry et al. 2018), random start, BN frozen
during the attack.

Usage: /usr/bin/python3 bench/pytorch_step.py --model preact-resnet10 --width 16 --batch 64 --steps 10 [--device cuda]
Prints one JSON line: {"model", "batch", "threads", "device", "ms": {"sgd", "sam", "at-pgd1", ...}}.
With --device cuda and no GPU visible to PyTorch it exits with status 1 and says why on stderr.
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'pytorch'))
from models import create_model  # noqa: E402 (found through the path above)


def set_bn_momentum(model, frozen):
    # Frozen BN: batch statistics for normalisation, running statistics untouched.
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = 0.0 if frozen else 0.1


def sgd_step(model, opt, x, y):
    opt.zero_grad()
    F.cross_entropy(model(x), y).backward()
    opt.step()


def sam_step(model, opt, x, y, rho=0.05):
    opt.zero_grad()
    F.cross_entropy(model(x), y).backward()
    params = [p for p in model.parameters() if p.grad is not None]
    norm = torch.sqrt(sum((p.grad ** 2).sum() for p in params)) + 1e-12
    saved = [p.detach().clone() for p in params]
    with torch.no_grad():
        for p in params:
            p.add_(p.grad, alpha=rho / norm.item())
    opt.zero_grad()
    set_bn_momentum(model, True)
    F.cross_entropy(model(x), y).backward()
    set_bn_momentum(model, False)
    with torch.no_grad():
        for p, s in zip(params, saved):
            p.copy_(s)
    opt.step()


def at_step(model, opt, x, y, steps, eps=8 / 255, alpha=2 / 255):
    set_bn_momentum(model, True)
    delta = torch.empty_like(x).uniform_(-eps, eps)
    for _ in range(steps):
        delta.requires_grad_(True)
        loss = F.cross_entropy(model((x + delta).clamp(0, 1)), y)
        (g,) = torch.autograd.grad(loss, delta)
        delta = (delta.detach() + alpha * g.sign()).clamp(-eps, eps)
    set_bn_momentum(model, False)
    sgd_step(model, opt, (x + delta).clamp(0, 1), y)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', default='preact-resnet10', choices=['preact-resnet10', 'preact-resnet18'])
    ap.add_argument('--width', type=int, default=16)
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--steps', type=int, default=10)
    ap.add_argument('--threads', type=int, default=torch.get_num_threads())
    ap.add_argument('--pgd', default='1,5,10')
    ap.add_argument('--device', default='cpu', choices=['cpu', 'cuda'])
    args = ap.parse_args()
    if args.device == 'cuda' and not torch.cuda.is_available():
        built = f'built with CUDA {torch.version.cuda}' if torch.version.cuda else 'built without CUDA'
        sys.exit(f'pytorch_step.py: --device cuda: CUDA is not available (torch {torch.__version__}, {built})')
    device = torch.device(args.device)
    # Kernels run asynchronously on a GPU: a step is timed from an idle device to an idle device.
    sync = torch.cuda.synchronize if args.device == 'cuda' else (lambda: None)
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    # 32x32 RGB, 10 classes, no normalisation (empty mean and std): the inputs are already in [0, 1].
    model = create_model({'name': args.model, 'width': args.width, 'depth': 1}, [32, 32, 3], 10, [], [])
    model = model.to(device).train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    x = torch.rand(args.batch, 3, 32, 32, device=device)
    y = torch.randint(0, 10, (args.batch,), device=device)
    methods = {'sgd': lambda: sgd_step(model, opt, x, y), 'sam': lambda: sam_step(model, opt, x, y)}
    for k in [int(s) for s in args.pgd.split(',') if s]:
        methods[f'at-pgd{k}'] = (lambda k=k: at_step(model, opt, x, y, k))
    ms = {}
    for name, fn in methods.items():
        fn()  # warm-up
        times = []
        for _ in range(args.steps):
            sync()
            t = time.perf_counter()
            fn()
            sync()
            times.append((time.perf_counter() - t) * 1000)
        ms[name] = round(statistics.median(times), 2)
    name = torch.cuda.get_device_name(device) if args.device == 'cuda' else 'cpu'
    out = {'model': args.model, 'width': args.width, 'batch': args.batch, 'threads': args.threads, 'device': name}
    print(json.dumps({**out, 'ms': ms}))


if __name__ == '__main__':
    main()
