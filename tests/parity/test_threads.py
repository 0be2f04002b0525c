"""parity.threads: the thread counts of torch and of NumPy's OpenBLAS, set and restored."""
from __future__ import annotations

import torch

import tinygrad_edu
from parity.threads import threads


def test_threads_are_set_inside_and_restored_after():
    torch.set_num_threads(2)
    tinygrad_edu.set_num_threads(2)
    before = tinygrad_edu.get_num_threads()
    with threads(1):
        assert torch.get_num_threads() == 1
        if tinygrad_edu._tuning._blas is not None:
            assert tinygrad_edu.get_num_threads() == 1
    assert torch.get_num_threads() == 2
    assert tinygrad_edu.get_num_threads() == before
    tinygrad_edu.set_num_threads(1)  # the default, for the tests that follow
