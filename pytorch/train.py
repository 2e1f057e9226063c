"""Trains the runs of a Duality Lab experiment spec in PyTorch, on one device or many.

    python train.py spec.json --data DIR                        one process (CPU, or the GPU if there is one)
    torchrun --nproc_per_node=N train.py spec.json --data DIR   DistributedDataParallel over N processes

Writes OUT/results.json (the lab's results format, rewritten atomically after each evaluation: the
lab's Import shows it) and OUT/weights/<run>.safetensors (the lab's parameter names and layouts: the
lab opens them for landscapes, sharpness and robust evaluation). See README.md.
"""
import argparse
import json
import os
import sys
import time
import zlib
from typing import List, Optional, Tuple

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

from data import augment, eval_subset, load_split
from methods import at_gradients, evaluate, learning_rate, sam_gradients, sgd_gradients
from models import create_model, named_state
from safetensors_io import load_weights, write_safetensors

HERE = os.path.dirname(os.path.abspath(__file__))


def stream_seed(seed: int, purpose: str, rank: int = 0) -> int:
    """A seed of its own for each purpose (and replica), derived from the experiment seed."""
    return zlib.crc32(f'{seed}:{purpose}:{rank}'.encode())


class Distributed:
    """The process group when started by torchrun (WORLD_SIZE set), else a single process."""

    def __init__(self, device_choice: str):
        self.world = int(os.environ.get('WORLD_SIZE', '1'))
        self.rank = int(os.environ.get('RANK', '0'))
        local_rank = int(os.environ.get('LOCAL_RANK', '0'))
        cuda = torch.cuda.is_available() and device_choice != 'cpu'
        if device_choice == 'cuda' and not torch.cuda.is_available():
            raise SystemExit('--device cuda: no GPU is visible to PyTorch')
        self.device = torch.device(f'cuda:{local_rank}' if cuda else 'cpu')
        if cuda:
            torch.cuda.set_device(self.device)
        self.enabled = 'WORLD_SIZE' in os.environ
        if self.enabled:
            # nccl between GPUs, gloo between CPU processes.
            dist.init_process_group(backend='nccl' if cuda else 'gloo')

    @property
    def main(self) -> bool:
        return self.rank == 0

    def barrier(self) -> None:
        if self.enabled:
            dist.barrier()

    def sum(self, values: List[float]) -> List[float]:
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        if self.enabled:
            dist.all_reduce(t)
        return t.tolist()

    def close(self) -> None:
        if self.enabled:
            dist.destroy_process_group()


def write_json_atomically(path: str, value: dict) -> None:
    """Written next to the target, then renamed: a reader never sees a half-written file."""
    tmp = f'{path}.{os.getpid()}.tmp'
    with open(tmp, 'w') as f:
        json.dump(value, f, indent=1, allow_nan=False)
        f.write('\n')
    os.replace(tmp, path)


def finite_or_none(x: float) -> Optional[float]:
    """JSON has no NaN or infinity: the lab writes them as null."""
    return x if x == x and abs(x) != float('inf') else None


def eval_schedule(spec: dict) -> str:
    """The evaluation PGD's step sizes; the lab writes the field, a spec without it reads as the lab's default."""
    return spec['eval'].get('pgdSchedule', 'cosine')


def train_run(spec: dict, meta: dict, run: dict, train, test, dd: Distributed, on_eval) -> Tuple[dict, torch.nn.Module, int]:
    """One run from the shared seeded init to the end: its entry of the results file, its model and its steps."""
    cfg = spec['train']
    n = train[1].numel()
    if cfg['batchSize'] > n:
        raise SystemExit(f'train.batchSize {cfg["batchSize"]} exceeds the {n} training examples')
    if cfg['batchSize'] % dd.world != 0:
        raise SystemExit(f'train.batchSize {cfg["batchSize"]} does not split over {dd.world} processes')
    local_batch = cfg['batchSize'] // dd.world
    steps_per_epoch = n // cfg['batchSize']  # the lab drops the last partial batch
    total_steps = max(1, int(steps_per_epoch * cfg['epochs']))
    eval_interval = max(1.0, spec['eval']['every'] * steps_per_epoch)
    bounded = meta['bounded']
    image = len(meta['shape']) == 3
    pgd_schedule = eval_schedule(spec)

    # Every run starts from the same weights: the init is seeded by the experiment seed alone.
    torch.manual_seed(spec['seed'])
    model = create_model(spec['model'], meta['shape'], meta['numClasses'], meta['mean'], meta['std']).to(dd.device)
    ddp = DistributedDataParallel(model) if dd.enabled else model
    # torch.optim.SGD is the lab's rule: d = g + wd w; buf = momentum buf + d (buf = d at first); w -= lr buf.
    opt = torch.optim.SGD(model.parameters(), lr=cfg['lr'], momentum=cfg['momentum'], weight_decay=cfg['weightDecay'])
    # The same batch order for every run and any number of processes: one permutation per epoch,
    # seeded by (seed, epoch); replica r takes every world-th example of it.
    sampler = DistributedSampler(TensorDataset(*train), num_replicas=dd.world, rank=dd.rank, shuffle=True,
                                 seed=spec['seed'], drop_last=True)
    loader = DataLoader(TensorDataset(*train), batch_size=local_batch, sampler=sampler, drop_last=True)
    augment_rng = torch.Generator().manual_seed(stream_seed(spec['seed'], 'augment', dd.rank))
    attack_rng = torch.Generator().manual_seed(stream_seed(spec['seed'], 'at-start', dd.rank))
    final_set = eval_subset(test, spec['eval']['subsetSize'], meta['numClasses'], spec['seed'], 1)
    during = min(spec['eval']['during']['subsetSize'], spec['eval']['subsetSize'])
    during_set = eval_subset(test, during, meta['numClasses'], spec['seed'], 2)

    entry = {'id': run['id'], 'method': run['method'], 'status': 'training', 'history': [], 'msPerStep': 0}
    since = {'loss': 0.0, 'acc': 0.0, 'steps': 0}
    evals_scheduled = 0
    step = 0
    step_seconds = 0.0

    def evaluation() -> None:
        nonlocal evals_scheduled
        if dd.main:
            last = step >= total_steps
            x, y = final_set if last else during_set
            k = spec['eval']['pgdSteps'] if last else min(spec['eval']['during']['pgdSteps'], spec['eval']['pgdSteps'])
            scores = evaluate(model, x, y, spec['eval']['attacks'], k, pgd_schedule, cfg['batchSize'], bounded,
                              stream_seed(spec['seed'], 'eval-attack'), dd.device)
            s = since['steps']
            entry['history'].append({
                'epoch': step / steps_per_epoch, 'step': step,
                'trainLoss': finite_or_none(since['loss'] / s) if s else None,
                'trainAcc': since['acc'] / s if s else None,
                'cleanAcc': scores['cleanAcc'], 'robust': scores['robust'], 'cleanLoss': scores['cleanLoss'],
            })
            entry['msPerStep'] = 1000 * step_seconds / step if step else 0
            on_eval(entry)
        since.update(loss=0.0, acc=0.0, steps=0)
        while int((evals_scheduled + 1) * eval_interval + 0.5) <= step:
            evals_scheduled += 1
        dd.barrier()  # the other replicas wait for rank 0's evaluation

    def eval_due() -> bool:
        return step == 0 or step >= total_steps or step >= int((evals_scheduled + 1) * eval_interval + 0.5)

    evaluation()
    epoch = 0
    while step < total_steps and entry['status'] == 'training':
        sampler.set_epoch(epoch)
        for i, (x, y) in enumerate(loader):
            if i >= steps_per_epoch or step >= total_steps:
                break
            started = time.perf_counter()
            if cfg['augment'] and image:
                x = augment(x, augment_rng)  # on the CPU, from this process's own seeded stream
            x, y = x.to(dd.device), y.to(dd.device)
            for group in opt.param_groups:
                group['lr'] = learning_rate(cfg['schedule'], run.get('lr', cfg['lr']), step, total_steps)
            opt.zero_grad(set_to_none=True)
            model.train()
            if run['method'] == 'sam':
                loss, correct = sam_gradients(ddp, x, y, run['rho'])
            elif run['method'] == 'at':
                loss, correct = at_gradients(ddp, model, x, y, run, bounded, attack_rng)
            else:
                loss, correct = sgd_gradients(ddp, x, y)
            opt.step()
            # The step's loss and accuracy over the whole global batch.
            loss_sum, correct_sum, count = dd.sum([float(loss) * y.numel(), float(correct), float(y.numel())])
            step_seconds += time.perf_counter() - started
            step += 1
            since['loss'] += loss_sum / count
            since['acc'] += correct_sum / count
            since['steps'] += 1
            if not torch.isfinite(torch.tensor(loss_sum)):
                entry['status'] = 'diverged'
                break
            if step >= total_steps:
                entry['status'] = 'done'
            if eval_due():
                evaluation()
        epoch += 1
    # A diverged run stops without another evaluation, as in the lab.
    return entry, model, step


def main(argv: List[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('spec', help='the experiment spec (JSON), as the lab exported it')
    ap.add_argument('--data', required=True, help='the folder of the dataset files (see README.md, "Datasets")')
    ap.add_argument('--out', default='out', help='folder for results.json and weights/ (default: out)')
    ap.add_argument('--runs', help='comma-separated run ids to train (default: all runs of the spec)')
    ap.add_argument('--device', choices=['auto', 'cpu', 'cuda'], default='auto')
    ap.add_argument('--dataset-info', default=os.path.join(HERE, 'dataset.json'),
                    help="the dataset's shape, classes and normalisation (default: dataset.json next to train.py)")
    ap.add_argument('--evaluate', metavar='WEIGHTS',
                    help='evaluate a weights file (the lab\'s or ours) on the final evaluation set, print JSON, and stop')
    args = ap.parse_args(argv)

    with open(args.spec) as f:
        spec = json.load(f)
    with open(args.dataset_info) as f:
        meta = json.load(f)
    dd = Distributed(args.device)
    train, test = load_split(spec, meta, args.data)
    pgd_schedule = eval_schedule(spec)

    if args.evaluate:
        model = create_model(spec['model'], meta['shape'], meta['numClasses'], meta['mean'], meta['std']).to(dd.device)
        load_weights(model, args.evaluate)
        x, y = eval_subset(test, spec['eval']['subsetSize'], meta['numClasses'], spec['seed'], 1)
        scores = evaluate(model, x, y, spec['eval']['attacks'], spec['eval']['pgdSteps'], pgd_schedule,
                          spec['train']['batchSize'], meta['bounded'], stream_seed(spec['seed'], 'eval-attack'), dd.device)
        if dd.main:
            print(json.dumps(scores))
        dd.close()
        return 0

    wanted = args.runs.split(',') if args.runs else [r['id'] for r in spec['runs']]
    unknown = [r for r in wanted if r not in {run['id'] for run in spec['runs']}]
    if unknown:
        raise SystemExit(f'--runs: no run {", ".join(unknown)} in the spec')
    os.makedirs(os.path.join(args.out, 'weights'), exist_ok=True)
    results = {'spec': spec, 'backend': 'pytorch', 'runs': []}
    results_path = os.path.join(args.out, 'results.json')
    if dd.main:
        print(f'{meta["name"]}: {train[1].numel()} train / {test[1].numel()} test examples; '
              f'{dd.world} process(es) on {dd.device}', file=sys.stderr)

    for run in (r for r in spec['runs'] if r['id'] in wanted):
        def on_eval(entry: dict) -> None:
            shown = [r for r in results['runs'] if r['id'] != entry['id']]
            write_json_atomically(results_path, {**results, 'runs': shown + [entry]})
            last = entry['history'][-1]
            print(f'{entry["id"]} step {last["step"]} epoch {last["epoch"]:.2f}: clean {last["cleanAcc"]:.3f} '
                  f'robust {last["robust"]}', file=sys.stderr)

        entry, model, step = train_run(spec, meta, run, train, test, dd, on_eval)
        if dd.main:
            results['runs'].append(entry)
            write_json_atomically(results_path, results)
            write_safetensors(os.path.join(args.out, 'weights', f'{run["id"]}.safetensors'), named_state(model), {
                'format': 'pt', 'model': spec['model']['name'], 'run': run['id'], 'method': run['method'],
                'run_spec': json.dumps(run), 'seed': str(spec['seed']), 'dataset': spec['dataset']['name'],
                'experiment_spec': json.dumps(spec), 'step': str(step), 'trained_with': 'pytorch',
            })
        dd.barrier()
    dd.close()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
