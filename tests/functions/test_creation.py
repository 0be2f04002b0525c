"""functions/creation.py against torch: Python ints beyond int64 are refused, not wrapped."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu

TOO_BIG = [2**63, -(2**63) - 1, [1, 2**63], [[1], [2**63]]]
FITS = [2**63 - 1, -(2**63), [1, 2.5], [1.5, 2**63], [[1, 2], [3.5, 4]], [1, True]]


@pytest.mark.parametrize("data", TOO_BIG, ids=repr)
def test_an_int_beyond_int64_raises_torchs_overflow_error(data):
    messages = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(ValueError) as error:
            lib.tensor(data)
        messages.append(str(error.value))
    assert messages[0] == messages[1]


def test_an_int_beyond_int64_asked_as_int64_raises_and_as_float_converts():
    for lib in (torch, tinygrad_edu):
        with pytest.raises(ValueError, match="Overflow"):
            lib.tensor(2**63, dtype=lib.int64)
    assert tinygrad_edu.tensor(2**63, dtype=tinygrad_edu.float64).item() == \
        torch.tensor(2**63, dtype=torch.float64).item()


@pytest.mark.parametrize("data", FITS, ids=repr)
def test_ints_that_fit_and_mixed_lists_build_as_torch(data):
    ours, theirs = tinygrad_edu.tensor(data), torch.tensor(data)
    assert str(ours.dtype) == str(theirs.dtype)
    assert ours.tolist() == theirs.tolist()


# ----------------------------------------------------------------------------- integer linspace

# Steps that are binary fractions (1.5, 2.5, 25.5 ...) make every value exact, so torch's
# vectorised and scalar kernels agree and the comparison is exact.
INTEGER_LINSPACES = {
    "int64, float end": lambda lib: lib.linspace(-5, 4.5, 7, dtype=lib.int64),
    "int64, both ends float": lambda lib: lib.linspace(-10.7, 10.2, 9, dtype=lib.int64),
    "int64, exact": lambda lib: lib.linspace(0, 10, 5, dtype=lib.int64),
    "int32, downwards": lambda lib: lib.linspace(3, -7.9, 5, dtype=lib.int32),
    "int16, tensor ends": lambda lib: lib.linspace(lib.tensor(-4.9), lib.tensor(5.9), 7,
                                                   dtype=lib.int16),
    "uint8": lambda lib: lib.linspace(0, 255, 11, dtype=lib.uint8),
    "one step": lambda lib: lib.linspace(2.7, 10, 1, dtype=lib.int64),
    "no steps": lambda lib: lib.linspace(2.7, 10, 0, dtype=lib.int64),
}


@pytest.mark.parametrize("name", sorted(INTEGER_LINSPACES))
def test_linspace_with_an_integer_dtype_truncates_the_ends_as_torch(name, same_as_torch):
    same_as_torch(INTEGER_LINSPACES[name])


# ----------------------------------------------------------------------------- randint dtypes

@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int32", "bool"])
@pytest.mark.parametrize("requires_grad", [False, True])
def test_randint_draws_integers_in_any_dtype_as_torch(dtype, requires_grad):
    results = []
    low, high = (0, 2) if dtype == "bool" else (-3, 7)
    for lib in (torch, tinygrad_edu):
        if requires_grad and dtype in ("int32", "bool"):
            with pytest.raises(RuntimeError, match="(?i)floating point"):
                lib.randint(low, high, (50,), dtype=getattr(lib, dtype), requires_grad=True)
            continue
        x = lib.randint(low, high, (50,), dtype=getattr(lib, dtype), requires_grad=requires_grad)
        values = x.detach().double()
        assert ((values >= low) & (values < high) & (values == values.round())).all()
        results.append((str(x.dtype), tuple(x.shape), x.requires_grad))
    assert len(set(results)) <= 1


def test_randint_like_of_a_float_tensor_is_float_as_torch():
    ours = tinygrad_edu.randint_like(tinygrad_edu.zeros(4, 2), 0, 10)
    theirs = torch.randint_like(torch.zeros(4, 2), 0, 10)
    assert (str(ours.dtype), tuple(ours.shape)) == (str(theirs.dtype), tuple(theirs.shape))
    assert ((ours >= 0) & (ours < 10) & (ours == ours.floor())).all()


# ----------------------------------------------------------------------------- size= keyword

SIZE_KEYWORD_CALLS = {
    "empty": lambda lib: lib.empty(size=(2, 3)).zero_(),
    "zeros": lambda lib: lib.zeros(size=[2, 3], dtype=lib.int32),
    "zeros 0-d": lambda lib: lib.zeros(size=()),
    "ones": lambda lib: lib.ones(size=lib.Size([4]), requires_grad=True),
    "full": lambda lib: lib.full(size=(2,), fill_value=3),
    "rand": lambda lib: lib.rand(size=(2, 3)) * 0,
    "randn": lambda lib: lib.randn(size=(1, 2), generator=None) * 0,
    "new_zeros": lambda lib: lib.ones(1, dtype=lib.float64).new_zeros(size=(2, 3)),
    "new_ones": lambda lib: lib.ones(1).new_ones(size=(3,), requires_grad=True),
    "new_empty": lambda lib: lib.ones(1).new_empty(size=[2]).zero_(),
    "new_full": lambda lib: lib.ones(1).new_full(size=(2,), fill_value=7),
}


@pytest.mark.parametrize("name", sorted(SIZE_KEYWORD_CALLS))
def test_sizes_by_the_size_keyword_as_torch(name, same_as_torch):
    same_as_torch(SIZE_KEYWORD_CALLS[name])


@pytest.mark.parametrize("call", [
    lambda lib: lib.zeros(2, size=(3,)),
    lambda lib: lib.empty(size=5),
    lambda lib: lib.ones(1).new_zeros(2, size=(2,)),
])
def test_a_size_given_twice_or_not_as_a_sequence_is_refused_as_torch(call):
    for lib in (torch, tinygrad_edu):
        with pytest.raises(TypeError, match="size"):
            call(lib)


def test_linspace_takes_a_numpy_integer_as_its_steps_as_torch(same_as_torch):
    same_as_torch(lambda lib: lib.linspace(0, 1, np.int64(5)))


@pytest.mark.parametrize("call", [
    lambda lib: lib.logspace(0.5, 2.5, 3, dtype=lib.int64),
    lambda lib: lib.logspace(-1.5, 2.9, 4, base=2, dtype=lib.int32),
    lambda lib: lib.logspace(0, 3, 4, dtype=lib.int16),
    lambda lib: lib.logspace(0.5, 1, 2, dtype=lib.float64),
])
def test_logspace_casts_its_ends_to_an_integer_dtype_as_torch(call, same_as_torch):
    same_as_torch(call)


# ----------------------------------------------------------------------------- bad input
# A fill value must fit the dtype asked for (unsigned dtypes take small negative numbers and
# wrap them, as torch).

@pytest.mark.parametrize("call", [
    lambda lib: lib.full((2,), 1000, dtype=lib.int8),
    lambda lib: lib.full((2,), 256, dtype=lib.uint8),
    lambda lib: lib.full((2,), 1e300, dtype=lib.float32),
    lambda lib: lib.full((1,), 2**63),
    lambda lib: lib.full_like(lib.zeros(2, dtype=lib.int16), 40000),
    lambda lib: lib.zeros(2, dtype=lib.int8).new_full((3,), -129),
], ids=["int8", "uint8", "float32", "int64 by default", "full_like", "new_full"])
def test_a_fill_value_that_overflows_raises_as_torch(call, raises_as_torch):
    raises_as_torch(call, "without overflow")


@pytest.mark.parametrize("value, dtype", [(-1, "uint8"), (2.5, "int64"), (5, "bool"),
                                          (65504.0, "float16"), (float("inf"), "float32")],
                         ids=repr)
def test_fill_values_that_fit_match_torch(value, dtype):
    ours = tinygrad_edu.full((2,), value, dtype=getattr(tinygrad_edu, dtype))
    theirs = torch.full((2,), value, dtype=getattr(torch, dtype))
    assert (str(ours.dtype), ours.tolist()) == (str(theirs.dtype), theirs.tolist())
