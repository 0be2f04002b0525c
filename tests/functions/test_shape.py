"""functions/shape.py against torch: the argument forms torch accepts (sizes and dims by
keyword, 0-d inputs, zero repeats), and roll's and movedim's errors."""
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



def grid(lib):
    return lib.arange(24).reshape(2, 3, 4)


@pytest.mark.parametrize("shifts, dims, phrase", [
    ((), None, "`shifts` required"),
    ([], (), "`shifts` required"),
    ((1, 1), None, "shifts and dimensions must align. shifts: 2, dims:0"),
    ((1,), (0, 1), "shifts and dimensions must align. shifts: 1, dims:2"),
    ((1, 1), 0, "shifts and dimensions must align. shifts: 2, dims:1"),
    (1, (0, 1), "shifts and dimensions must align. shifts: 1, dims:2"),
], ids=str)
def test_roll_refuses_missing_or_unaligned_shifts(shifts, dims, phrase, raises_as_torch):
    raises_as_torch(lambda lib: lib.roll(grid(lib), shifts, dims), phrase)


def test_roll_without_shifts_is_a_type_error(raises_as_torch):
    raises_as_torch(lambda lib: lib.roll(grid(lib)), "missing 1 required positional argument")
    raises_as_torch(lambda lib: grid(lib).roll(dims=0), "missing 1 required positional argument")


@pytest.mark.parametrize("shifts, dims", [(1, None), ([2], None), (1, ()), (5, 1),
                                          ((1, -2), (0, 2)), ((1, 1), (0, 0)), (-1, -1)],
                         ids=str)
def test_valid_rolls_match_torch(shifts, dims):
    assert tinygrad_edu.roll(grid(tinygrad_edu), shifts, dims).tolist() == \
        torch.roll(grid(torch), shifts, dims).tolist()


@pytest.mark.parametrize("source, destination, error, phrase", [
    ([0, 1], [1], "RuntimeError", "movedim: Invalid source or destination dims: source ([0, 1] "
     "dims) should contain the same number of dims as destination ([1] dims)"),
    ([0, 5], [1], "RuntimeError", "should contain the same number of dims"),
    ([0, 0], [1, 2], "RuntimeError", "movedim: repeated dim in `source` ([0, 0])"),
    ([0, -3], [1, 2], "RuntimeError", "movedim: repeated dim in `source` ([0, -3])"),
    ([0, 1], [2, 2], "RuntimeError", "movedim: repeated dim in `destination` ([2, 2])"),
    ([0, 1], [1, -2], "RuntimeError", "movedim: repeated dim in `destination` ([1, -2])"),
    ([0, 0], [5, 1], "IndexError", "Dimension out of range (expected to be in range of [-3, 2], "
     "but got 5)"),
    (3, 0, "IndexError", "but got 3)"),
], ids=str)
def test_movedim_refuses_unmatched_repeated_or_out_of_range_dims(source, destination, error,
                                                                 phrase, raises_as_torch):
    ours = raises_as_torch(lambda lib: lib.movedim(grid(lib), source, destination), phrase)
    assert type(ours).__name__ == error
    raises_as_torch(lambda lib: grid(lib).movedim(source, destination), phrase)


@pytest.mark.parametrize("source, destination", [(0, 2), (-1, 0), ([0, 1], [2, 0]), ([], [])],
                         ids=str)
def test_valid_movedims_match_torch(source, destination):
    assert tinygrad_edu.movedim(grid(tinygrad_edu), source, destination).tolist() == \
        torch.movedim(grid(torch), source, destination).tolist()
