"""How many threads the two libraries compute with (`python -m parity --threads N`).

On a small or busy machine, thread pools that spin while waiting for a core make the small
matrix products of these runs many times slower: torch's pool (torch.set_num_threads) and the
OpenBLAS that NumPy links (tinygrad_edu.set_num_threads, which tinygrad_edu sets to 1 at import
unless told otherwise). The results do not change.
"""
from __future__ import annotations

import contextlib

import torch

import tinygrad_edu


def set_threads(count: int) -> int:
    """Use `count` threads in torch and in NumPy's OpenBLAS; return the previous torch count."""
    previous = torch.get_num_threads()
    torch.set_num_threads(count)
    tinygrad_edu.set_num_threads(count)
    return previous


@contextlib.contextmanager
def threads(count: int):
    """Within the block, compute with `count` threads; the previous counts are restored."""
    before = tinygrad_edu.get_num_threads()
    previous = set_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
        tinygrad_edu.set_num_threads(before)
