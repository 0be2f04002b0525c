"""Only floating-point tensors carry gradients: an op whose output is integer or bool (a cast, a
comparison, argmax, the indices of max/sort/topk) cuts the graph, as in torch."""
from __future__ import annotations

import pytest
import torch

import tinygrad_edu

CUTS = {
    "long": lambda lib, x: x.long(),
    "int": lambda lib, x: x.int(),
    "short": lambda lib, x: x.short(),
    "byte": lambda lib, x: x.byte(),
    "bool": lambda lib, x: x.bool(),
    "to_int64": lambda lib, x: x.to(lib.int64),
    "to_dtype_kw": lambda lib, x: x.to(dtype=lib.int32),
    "type_int": lambda lib, x: x.type(lib.int64),
    "comparison": lambda lib, x: x > 1,
    "argmax": lambda lib, x: x.argmax(),
    "max_indices": lambda lib, x: x.max(dim=0)[1],
    "sort_indices": lambda lib, x: x.sort()[1],
    "topk_indices": lambda lib, x: x.topk(2)[1],
    "view_of_cast": lambda lib, x: x.long().view(3, 1),
}


def _run(lib, name):
    x = lib.tensor([1.5, -2.5, 3.5], requires_grad=True)
    y = CUTS[name](lib, x)
    return x, y


@pytest.mark.parametrize("name", sorted(CUTS))
def test_an_integer_or_bool_output_does_not_require_grad(name):
    (_, ours), (_, theirs) = _run(tinygrad_edu, name), _run(torch, name)
    assert str(ours.dtype) == str(theirs.dtype)
    assert ours.requires_grad is theirs.requires_grad is False
    assert ours.grad_fn is None and theirs.grad_fn is None
    assert ours.is_leaf is theirs.is_leaf is True


@pytest.mark.parametrize("name", ["long", "int", "to_int64", "bool"])
def test_backward_through_a_cast_to_an_integer_raises_as_torch(name):
    messages = []
    for lib in (torch, tinygrad_edu):
        x, y = _run(lib, name)
        with pytest.raises(RuntimeError) as error:
            (y * 2).float().sum().backward()
        messages.append(str(error.value))
        assert x.grad is None
    assert messages[0] == messages[1]


def test_a_float_result_of_an_integer_detour_is_a_new_leaf():
    for lib in (torch, tinygrad_edu):
        x = lib.tensor([1.5, 2.5], requires_grad=True)
        z = x.long().float() * 2
        assert not z.requires_grad and z.grad_fn is None
