"""functions/indexing.py against torch: the cases that were silently wrong."""
from __future__ import annotations

import pytest
import torch

import tinygrad_edu


@pytest.mark.parametrize("index", [[-1], [3], [0, 5]])
def test_index_select_refuses_an_index_out_of_range_as_torch(index):
    messages = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(IndexError) as error:
            lib.index_select(lib.tensor([1.0, 2.0, 3.0]), 0, lib.tensor(index))
        messages.append(str(error.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize("value", [5.0, 0.0])
def test_nonzero_of_a_0d_tensor_has_no_columns(value):
    theirs = torch.nonzero(torch.tensor(value))
    ours = tinygrad_edu.nonzero(tinygrad_edu.tensor(value))
    assert ours.shape == theirs.shape and str(ours.dtype) == str(theirs.dtype)
