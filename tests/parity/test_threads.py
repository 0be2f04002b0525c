"""parity.threads: the thread counts of torch and of NumPy's OpenBLAS, set and restored."""
from __future__ import annotations

import torch

from parity.threads import _openblas, threads


def test_threads_are_set_inside_and_restored_after():
    blas = _openblas()
    torch.set_num_threads(2)
    if blas:
        blas[0](2)
    before = blas[1]() if blas else None
    with threads(1):
        assert torch.get_num_threads() == 1
        if blas:
            assert blas[1]() == 1
    assert torch.get_num_threads() == 2
    if blas:
        assert blas[1]() == before
