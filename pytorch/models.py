"""The lab's models in PyTorch, with the parameter names and layouts of the lab's weights export.

Every model normalises its input itself, (x - mean) / std per channel with the dataset's constants,
so attacks work on raw pixels in [0, 1] as in the lab. Initialisation is PyTorch's default (the lab
uses the same distributions, drawn from its own generator, so the numbers differ).
"""
from typing import List, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F


class Normalize(nn.Module):
    """(x - mean) / std over the channel axis; a constant, not a parameter (the export has no such tensor)."""

    def __init__(self, mean: Sequence[float], std: Sequence[float]):
        super().__init__()
        self.enabled = len(mean) > 0
        shape = (1, -1, 1, 1)
        self.register_buffer('mean', torch.tensor(list(mean) or [0.0]).view(shape), persistent=False)
        self.register_buffer('std', torch.tensor(list(std) or [1.0]).view(shape), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.enabled:
            return x
        if x.dim() == 4:
            return (x - self.mean) / self.std
        return (x - self.mean.flatten()) / self.std.flatten()


class PreActBlock(nn.Module):
    """BN-ReLU-conv3x3(stride)-BN-ReLU-conv3x3, plus a 1x1 conv shortcut taken from the pre-activated
    input when the stride or width changes, else the identity (He et al. 2016, Identity Mappings)."""

    def __init__(self, cin: int, cout: int, stride: int):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        # Named "shortcut.0" as in the reference code of Zhang et al. (a Sequential of one conv).
        self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False)) if stride != 1 or cin != cout else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pre = F.relu(self.bn1(x))
        skip = self.shortcut(pre) if self.shortcut is not None else x
        out = self.conv2(F.relu(self.bn2(self.conv1(pre))))
        return out + skip


class PreActResNet(nn.Module):
    """conv3x3 stem; four stages of widths w, 2w, 4w, 8w, strides 1, 2, 2, 2; BN-ReLU, global average pool, linear."""

    def __init__(self, blocks_per_stage: int, width: int, channels: int, classes: int, norm: Normalize):
        super().__init__()
        self.norm = norm
        self.conv1 = nn.Conv2d(channels, width, 3, 1, 1, bias=False)
        c = width
        stages: List[nn.Sequential] = []
        for s, stage_stride in enumerate([1, 2, 2, 2]):
            planes = width * 2 ** s
            blocks = []
            for i in range(blocks_per_stage):
                blocks.append(PreActBlock(c, planes, stage_stride if i == 0 else 1))
                c = planes
            stages.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.bn = nn.BatchNorm2d(c)
        self.linear = nn.Linear(c, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv1(self.norm(x))
        out = self.layer4(self.layer3(self.layer2(self.layer1(out))))
        out = F.relu(self.bn(out))
        return self.linear(out.mean(dim=(2, 3)))


class Cnn(nn.Module):
    """`depth` blocks of conv3x3 (with bias) - ReLU - 2x2 max-pool, widths w, 2w, 4w...; FC 4w - ReLU - FC classes."""

    def __init__(self, width: int, depth: int, shape: Sequence[int], classes: int, norm: Normalize):
        super().__init__()
        self.norm = norm
        h, w, c = shape
        self.depth = depth
        for i in range(depth):
            setattr(self, f'conv{i + 1}', nn.Conv2d(c, width * 2 ** i, 3, 1, 1))
            c, h, w = width * 2 ** i, h // 2, w // 2
        self.fc1 = nn.Linear(h * w * c, 4 * width)
        self.fc2 = nn.Linear(4 * width, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.norm(x)
        for i in range(self.depth):
            y = F.max_pool2d(F.relu(getattr(self, f'conv{i + 1}')(y)), 2)
        # NCHW flatten: the lab's export reorders fc1's input rows to this order.
        return self.fc2(F.relu(self.fc1(y.flatten(1))))


class Mlp(nn.Module):
    """Flatten, `depth` hidden layers of `width` units with ReLU (fc1..fcD), linear out (fcD+1)."""

    def __init__(self, width: int, depth: int, features: int, classes: int, norm: Normalize):
        super().__init__()
        self.norm = norm
        self.depth = depth
        units = features
        for i in range(1, depth + 1):
            setattr(self, f'fc{i}', nn.Linear(units, width))
            units = width
        setattr(self, f'fc{depth + 1}', nn.Linear(units, classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.norm(x).flatten(1)
        for i in range(1, self.depth + 1):
            h = F.relu(getattr(self, f'fc{i}')(h))
        return getattr(self, f'fc{self.depth + 1}')(h)


class Linear(nn.Module):
    """Multinomial logistic regression: flatten, one linear layer."""

    def __init__(self, features: int, classes: int, norm: Normalize):
        super().__init__()
        self.norm = norm
        self.linear = nn.Linear(features, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(self.norm(x).flatten(1))


def create_model(model_spec: dict, shape: Sequence[int], classes: int, mean: Sequence[float], std: Sequence[float]) -> nn.Module:
    """The model of spec["model"] for examples of `shape` ([h, w, c] images or [d] features)."""
    name, width, depth = model_spec['name'], model_spec['width'], model_spec['depth']
    norm = Normalize(mean, std)
    features = 1
    for d in shape:
        features *= d
    if name in ('preact-resnet18', 'preact-resnet10'):
        return PreActResNet(2 if name == 'preact-resnet18' else 1, width, shape[2], classes, norm)
    if name == 'cnn':
        return Cnn(width, depth, shape, classes, norm)
    if name == 'mlp':
        return Mlp(width, depth, features, classes, norm)
    if name == 'linear':
        return Linear(features, classes, norm)
    raise ValueError(f'unknown model {name!r}')


def named_state(model: nn.Module) -> dict:
    """Parameters and BatchNorm running statistics by the lab's names (no num_batches_tracked, no constants)."""
    return {k: v for k, v in model.state_dict().items() if not k.endswith('num_batches_tracked')}
