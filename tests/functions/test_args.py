"""functions/_args.py against torch: torch.broadcast_shapes and its argument forms."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu

SHAPE_LISTS = [
    (3, (2, 1)), (3,), (), (1, 4), (0, 1), ((2, 0), (1,)), ((2, 1), [3]), ((2,), (3, 1), 1),
    (True, (2, 1)), ([], 5), ((1,), ()),
]


@pytest.mark.parametrize("shapes", SHAPE_LISTS, ids=repr)
def test_broadcast_shapes_takes_ints_and_sequences_as_torch(shapes):
    ours, theirs = tinygrad_edu.broadcast_shapes(*shapes), torch.broadcast_shapes(*shapes)
    assert ours == theirs and repr(ours) == repr(theirs)


def test_broadcast_shapes_of_a_torch_size_as_torch():
    ours = tinygrad_edu.broadcast_shapes(tinygrad_edu.Size([2, 1]), 4)
    assert ours == torch.broadcast_shapes(torch.Size([2, 1]), 4)


@pytest.mark.parametrize("shapes", [(-1,), ((-1,),), (3.0,), (np.int64(3), (2, 1))],
                         ids=repr)
def test_broadcast_shapes_refuses_what_torch_refuses(shapes, same_error_as_torch):
    same_error_as_torch(lambda lib: lib.broadcast_shapes(*shapes), (RuntimeError, ValueError))
