"""The safetensors format, read and written by hand (no `safetensors` package needed):
an 8-byte little-endian header length N, N bytes of JSON header
{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}},
then each tensor's raw little-endian bytes, back to back. Only F32 is used (as in the lab)."""
import json
import os
import struct
from typing import Dict, Tuple

import numpy as np
import torch


def write_safetensors(path: str, tensors: Dict[str, torch.Tensor], metadata: Dict[str, str]) -> None:
    header: dict = {'__metadata__': metadata}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        data = t.detach().to('cpu', torch.float32).contiguous().numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)  # pad so the data that follows is 8-byte aligned
    tmp = f'{path}.{os.getpid()}.tmp'
    with open(tmp, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def read_safetensors(path: str) -> Tuple[Dict[str, torch.Tensor], Dict[str, str]]:
    with open(path, 'rb') as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError(f'{path}: not a safetensors file (shorter than 8 bytes)')
    (n,) = struct.unpack('<Q', raw[:8])
    if 8 + n > len(raw):
        raise ValueError(f'{path}: header length {n} runs past the end of the file')
    header = json.loads(raw[8:8 + n].decode('utf-8'))
    metadata = header.pop('__metadata__', {})
    data = raw[8 + n:]
    tensors = {}
    for name, entry in header.items():
        if entry['dtype'] != 'F32':
            raise ValueError(f'{path}: {name} is {entry["dtype"]}, only F32 is read')
        begin, end = entry['data_offsets']
        count = int(np.prod(entry['shape'])) if entry['shape'] else 1
        if end - begin != 4 * count or end > len(data):
            raise ValueError(f'{path}: {name} of shape {entry["shape"]} has {end - begin} bytes')
        values = np.frombuffer(data[begin:end], dtype='<f4').astype(np.float32)
        tensors[name] = torch.from_numpy(values.reshape(entry['shape']))
    return tensors, metadata


def load_weights(model: torch.nn.Module, path: str) -> Dict[str, str]:
    """Loads a lab (or train.py) weights file into `model`; every name and shape must match."""
    tensors, metadata = read_safetensors(path)
    state = model.state_dict()
    expected = {k for k in state if not k.endswith('num_batches_tracked')}
    missing, extra = expected - tensors.keys(), tensors.keys() - expected
    if missing or extra:
        raise ValueError(f'{path}: missing {sorted(missing)[:5]}, unexpected {sorted(extra)[:5]}')
    for name in expected:
        if tuple(state[name].shape) != tuple(tensors[name].shape):
            raise ValueError(f'{path}: {name} has shape {list(tensors[name].shape)}, the model {list(state[name].shape)}')
    model.load_state_dict(tensors, strict=False)
    return metadata
