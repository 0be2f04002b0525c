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


def test_index_select_from_an_empty_axis_raises_as_torch():
    messages = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(RuntimeError) as error:
            lib.index_select(lib.zeros(0, 2), 0, lib.tensor([0]))
        messages.append(str(error.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize("value", [5.0, 0.0])
def test_nonzero_of_a_0d_tensor_has_no_columns(value):
    theirs = torch.nonzero(torch.tensor(value))
    ours = tinygrad_edu.nonzero(tinygrad_edu.tensor(value))
    assert ours.shape == theirs.shape and str(ours.dtype) == str(theirs.dtype)


SCATTERS = {
    "multiply, tensor src": lambda lib, x: x.scatter(
        0, lib.tensor([0, 0, 2]), lib.tensor([2.0, 3.0, 4.0]), reduce="multiply"),
    "add, tensor src": lambda lib, x: x.scatter(
        0, lib.tensor([0, 0, 2]), lib.tensor([2.0, 3.0, 4.0]), reduce="add"),
    "multiply, value": lambda lib, x: x.scatter(0, lib.tensor([0, 0, 2]), 3.0, reduce="multiply"),
    "add, value": lambda lib, x: x.scatter(0, lib.tensor([0, 0, 2]), 3.0, reduce="add"),
    "in place": lambda lib, x: x.clone().scatter_(0, lib.tensor([0, 2]), 3.0, reduce="multiply"),
}


@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")
@pytest.mark.parametrize("name", sorted(SCATTERS))
def test_scatter_applies_its_reduce_argument_as_torch(name):
    ours = SCATTERS[name](tinygrad_edu, tinygrad_edu.ones(3) * 1.5)
    theirs = SCATTERS[name](torch, torch.ones(3) * 1.5)
    assert ours.tolist() == theirs.tolist()


def test_scatter_with_reduce_has_no_derivative_and_refuses_other_reductions_as_torch():
    messages = []
    for lib in (torch, tinygrad_edu):
        x = lib.ones(3, requires_grad=True)
        y = x.scatter(0, lib.tensor([0, 2]), 3.0, reduce="add")
        assert type(y.grad_fn).__name__ == "NotImplemented"
        with pytest.raises(RuntimeError) as no_derivative:
            y.sum().backward()
        with pytest.raises(RuntimeError) as bad_reduce:
            x.scatter(0, lib.tensor([0]), 3.0, reduce="max")
        messages.append((str(no_derivative.value), str(bad_reduce.value)))
    assert messages[0] == messages[1]
