"""PyTorch's attainable FLOP/s on the CPU: the lab's probe (bench/lib/attainable.ts) in PyTorch.

One square matmul (2 n^3 FLOPs) and same-padded, stride-1 convs (2 N H W Cin Cout k^2 FLOPs), each
timed as the median over reps after one warm-up, on the thread count of bench/pytorch_step.py.

Usage: /usr/bin/python3 bench/pytorch_attainable.py --matmul 1024 --conv 64,32,16,16,3 --conv 64,32,64,64,3
(a conv is batch,size,cin,cout,k). Prints one JSON line: {"threads", "matmul": {...}, "convs": [...]}.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F


def rate(op, flops, fn, reps, budget_s):
    fn()  # warm-up
    times = []
    t0 = time.perf_counter()
    while len(times) < reps and (len(times) < 2 or time.perf_counter() - t0 < budget_s):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    ms = statistics.median(times) * 1000
    gflops = float(f'{flops / ms / 1e6:.3g}')
    return {'op': op, 'flops': flops, 'medianMs': round(ms, 3), 'gflops': gflops, 'reps': len(times)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--matmul', type=int, default=1024)
    ap.add_argument('--conv', action='append', default=[])
    ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--budget-ms', type=float, default=5000)
    ap.add_argument('--threads', type=int, default=torch.get_num_threads())
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    budget = args.budget_ms / 1000
    n = args.matmul
    a, b = torch.rand(n, n) * 2 - 1, torch.rand(n, n) * 2 - 1
    out = {'threads': args.threads, 'matmul': rate(f'matmul {n}', 2 * n ** 3, lambda: a @ b, args.reps, budget), 'convs': []}
    with torch.no_grad():
        for spec in args.conv:
            batch, size, cin, cout, k = (int(v) for v in spec.split(','))
            x = torch.rand(batch, cin, size, size) * 2 - 1
            w = torch.rand(cout, cin, k, k) * 2 - 1
            flops = 2 * batch * size * size * cin * cout * k * k
            op = f'conv b{batch} {size}x{size} {cin}->{cout} {k}x{k}'
            r = rate(op, flops, lambda: F.conv2d(x, w, padding=k // 2), args.reps, budget)
            r['shape'] = {'batch': batch, 'size': size, 'cIn': cin, 'cOut': cout, 'k': k}
            out['convs'].append(r)
    print(json.dumps(out))


if __name__ == '__main__':
    main()
