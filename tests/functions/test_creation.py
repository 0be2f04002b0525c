"""functions/creation.py against torch: Python ints beyond int64 are refused, not wrapped."""
from __future__ import annotations

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
