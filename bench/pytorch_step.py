"""Reference step times in PyTorch on the CPU, for scale against the lab's tfjs backends.

Same layouts as src/core/model (PreAct ResNet of He et al. 2016, 1x1 shortcut on the pre-activated
input; the small CNN) and the same step semantics as src/core/train: SGD momentum 0.9 + weight decay
5e-4; SAM with one global L2 norm (Foret et al. 2021), BN frozen in the second pass; AT with PGD L-inf
(Madry et al. 2018), random start, BN frozen during the attack.

Usage: /usr/bin/python3 bench/pytorch_step.py --model preact-resnet10 --width 16 --batch 64 --steps 10
Prints one JSON line: {"model", "batch", "threads", "ms": {"sgd", "sam", "at-pgd1", ...}}.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class PreActBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.shortcut = nn.Conv2d(cin, cout, 1, stride, bias=False) if stride != 1 or cin != cout else None

    def forward(self, x):
        out = F.relu(self.bn1(x))
        skip = self.shortcut(out) if self.shortcut is not None else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + skip


class PreActResNet(nn.Module):
    def __init__(self, blocks, width, classes=10, cin=3):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, width, 3, 1, 1, bias=False)
        layers, c = [], width
        for i, n in enumerate(blocks):
            cout, stride = width * 2 ** i, 1 if i == 0 else 2
            stage = []
            for j in range(n):
                stage.append(PreActBlock(c, cout, stride if j == 0 else 1))
                c = cout
            layers.append(nn.Sequential(*stage))
        self.layer1, self.layer2, self.layer3, self.layer4 = layers
        self.bn = nn.BatchNorm2d(c)
        self.linear = nn.Linear(c, classes)

    def forward(self, x):
        out = self.conv1(x)
        out = self.layer4(self.layer3(self.layer2(self.layer1(out))))
        out = F.relu(self.bn(out))
        return self.linear(F.adaptive_avg_pool2d(out, 1).flatten(1))


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
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    blocks = [1, 1, 1, 1] if args.model == 'preact-resnet10' else [2, 2, 2, 2]
    model = PreActResNet(blocks, args.width).train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    x = torch.rand(args.batch, 3, 32, 32)
    y = torch.randint(0, 10, (args.batch,))
    methods = {'sgd': lambda: sgd_step(model, opt, x, y), 'sam': lambda: sam_step(model, opt, x, y)}
    for k in [int(s) for s in args.pgd.split(',') if s]:
        methods[f'at-pgd{k}'] = (lambda k=k: at_step(model, opt, x, y, k))
    ms = {}
    for name, fn in methods.items():
        fn()  # warm-up
        times = []
        for _ in range(args.steps):
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        ms[name] = round(statistics.median(times), 2)
    print(json.dumps({'model': args.model, 'width': args.width, 'batch': args.batch, 'threads': args.threads, 'ms': ms}))


if __name__ == '__main__':
    main()
