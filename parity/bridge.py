"""The bridge between the two libraries: dtypes, devices, weights, batches and dropout masks.

Everything crosses through NumPy on the host: torch's tensors leave by
`.detach().cpu().numpy()`, ours by `.numpy()` after `.cpu()`, and both libraries build tensors
from the same NumPy array, so the two runs start from bit-identical numbers.
"""
from __future__ import annotations

import contextlib

import numpy as np
import torch

import tinygrad_edu
from tinygrad_edu.nn.functional import dropouts

from .check import torch_device


def library_dtype(lib, name: str):
    """`lib.float64` for name 'float64' (the same attribute in both libraries)."""
    return getattr(lib, name)


def to_numpy(tensor) -> np.ndarray:
    """A host NumPy copy of a tensor of either library (or anything array-like)."""
    if hasattr(tensor, "detach"):
        tensor = tensor.detach()
    if hasattr(tensor, "cpu"):
        tensor = tensor.cpu()
    if hasattr(tensor, "numpy"):
        return np.array(tensor.numpy())
    return np.array(tensor)


def from_numpy(lib, array: np.ndarray, device: str):
    """A tensor of `lib` on `device` holding a copy of `array` (dtype kept)."""
    return lib.tensor(np.array(array), device=torch_device(device) if lib is torch else device)


def copy_weights(theirs, ours) -> None:
    """Load torch's state_dict (parameters and buffers) into our model, exactly."""
    state = {name: to_numpy(value) for name, value in theirs.state_dict().items()}
    ours.load_state_dict(state)


def build_pair(build, dtype: str, device: str, seed: int):
    """(torch model, our model): torch initializes (seeded), ours gets torch's state_dict."""
    torch.manual_seed(seed)
    theirs = build(torch).to(device=torch_device(device), dtype=library_dtype(torch, dtype))
    ours = build(tinygrad_edu).to(device=device, dtype=library_dtype(tinygrad_edu, dtype))
    copy_weights(theirs, ours)
    return theirs, ours


# ----------------------------------------------------------------------------- dropout


@contextlib.contextmanager
def masks_from_torch(seed: int, dtype: str, device: str):
    """Make our dropout draw the very masks torch's dropout drew after `torch.manual_seed(seed)`.

    torch's dropout draws its keep-mask from torch's generator. Inside this block, parity puts its
    own function in the place of our dropout's mask drawer
    (`tinygrad_edu.nn.functional.dropouts.bernoulli_mask`): it re-seeds torch with `seed` and
    replays the same draws, one per call, in the same order: torch's dropout applied to a tensor
    of ones, whose non-zeros are exactly the kept elements. A model that calls dropout in the
    same order as torch's twin thus sees identical masks. The drawer is restored on exit, even
    after an error.
    """
    torch_dtype = library_dtype(torch, dtype)

    def replay(shape, p, dtype, device_):
        ones = torch.ones(tuple(shape), dtype=torch_dtype, device=torch_device(device))
        kept = torch.nn.functional.dropout(ones, p, training=True) != 0
        return from_numpy(tinygrad_edu, to_numpy(kept), device)

    previous = dropouts.bernoulli_mask
    dropouts.bernoulli_mask = replay
    torch.manual_seed(seed)
    try:
        yield
    finally:
        dropouts.bernoulli_mask = previous
