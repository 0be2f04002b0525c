"""functions/shape.py against torch: the argument forms torch accepts."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu

X = np.arange(6.0).reshape(2, 3)

# ----------------------------------------------------------------------------- keyword forms

KEYWORD_FORMS = {
    "torch.flip(x, dims=tuple)": lambda lib, x: lib.flip(x, dims=(0,)),
    "torch.flip(x, dims=list)": lambda lib, x: lib.flip(x, dims=[0, -1]),
    "torch.flip(x, dims=())": lambda lib, x: lib.flip(x, dims=()),
    "x.flip(dims=)": lambda lib, x: x.flip(dims=(1,)),
    "x.flip(*dims)": lambda lib, x: x.flip(1, 0),
    "x.permute(dims=)": lambda lib, x: x.permute(dims=(1, 0)),
    "torch.permute(x, dims=)": lambda lib, x: lib.permute(x, dims=(1, 0)),
    "x.view(size=)": lambda lib, x: x.view(size=(3, 2)),
    "x.reshape(shape=)": lambda lib, x: x.reshape(shape=(3, -1)),
    "torch.reshape(x, shape=)": lambda lib, x: lib.reshape(x, shape=(6,)),
    "x.expand(size=)": lambda lib, x: x[:1].expand(size=(4, 3)),
    "x.repeat(repeats=)": lambda lib, x: x.repeat(repeats=(2, 1, 1)),
}


@pytest.mark.parametrize("name", sorted(KEYWORD_FORMS))
def test_sizes_and_dims_by_keyword_as_torch(name, same_as_torch):
    same_as_torch(KEYWORD_FORMS[name], X)


def test_flip_of_a_0d_tensor_as_torch(same_as_torch):
    same_as_torch(lambda lib, x: lib.flip(x, dims=(0,)), np.float64(3.0))
    same_as_torch(lambda lib, x: x.flip(-1), np.float64(3.0))


@pytest.mark.parametrize("call", [
    lambda lib, x: x.flip((0,), dims=(1,)),
    lambda lib, x: lib.flip(x, dims=0),
    lambda lib, x: x.permute(1, 0, dims=(1, 0)),
])
def test_sizes_given_twice_or_not_as_a_tuple_raise_as_torch(call):
    for lib in (torch, tinygrad_edu):
        with pytest.raises(TypeError, match="dims"):
            call(lib, lib.tensor(X))


@pytest.mark.parametrize("dims", [(0, -2), (1, 0, 1)])
def test_flip_with_a_repeated_dim_raises_as_torch(dims, same_error_as_torch):
    same_error_as_torch(lambda lib: lib.flip(lib.tensor(X), dims=dims), RuntimeError)


# ----------------------------------------------------------------------------- repeat with zeros

@pytest.mark.parametrize("shape, repeats", [
    ((2, 3), (0, 2)), ((2, 3), (2, 0)), ((2, 3), (1, 0, 2)), ((3,), (0,)),
    ((0, 3), (2, 1)), ((0,), (3,)), ((2, 0), (0, 2)), ((0, 3), (1, 2, 1)), ((), (0, 2)),
])
def test_repeat_with_a_zero_count_or_an_empty_input_as_torch(shape, repeats, same_as_torch):
    same_as_torch(lambda lib, x: x.repeat(*repeats) * 2, np.ones(shape))


def test_repeat_backward_twice_with_an_empty_input_as_torch():
    grads = []
    for lib in (torch, tinygrad_edu):
        x = lib.zeros(0, 2, dtype=lib.float64, requires_grad=True)
        (first,) = lib.autograd.grad(x.repeat(2, 3).sum(), x, create_graph=True)
        grads.append((tuple(first.shape), first.requires_grad))
    assert grads[0] == grads[1]


@pytest.mark.parametrize("source, destination", [(0, 0), (-1, 0), ((0,), (-1,))])
def test_movedim_of_a_0d_tensor_as_torch(source, destination, same_as_torch):
    same_as_torch(lambda lib, x: lib.movedim(x, source, destination), np.float64(3.0))
