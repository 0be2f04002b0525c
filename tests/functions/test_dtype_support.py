"""functions/dtype_support.py against torch: the errors for dtypes a kernel refuses, word for
word, and the dtypes it accepts left alone."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
from tinygrad_edu.functions import dtype_support as support

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def _torch_error(call):
    with pytest.raises(Exception) as caught:
        call()
    return caught.value


@pytest.mark.parametrize("dtype", DTYPES)
def test_refuse_raises_torchs_not_implemented_error_for_the_refused_dtypes(dtype):
    x = tinygrad_edu.zeros(2, dtype=getattr(tinygrad_edu, dtype))
    t = torch.zeros(2, dtype=getattr(torch, dtype))
    if dtype != "bool":
        support.refuse(x, "abs_cpu")  # torch.abs computes
        torch.abs(t)
        return
    with pytest.raises(NotImplementedError) as ours:
        support.refuse(x, "abs_cpu")
    theirs = _torch_error(lambda: torch.abs(t))
    assert type(theirs) is NotImplementedError and str(ours.value) == str(theirs)


@pytest.mark.parametrize("dtype", DTYPES)
def test_refuse_takes_a_family_of_dtypes_as_avg_pool2d(dtype):
    """torch's avg_pool2d has an int64 kernel but no other integer one."""
    x = tinygrad_edu.zeros(1, 1, 2, 2, dtype=getattr(tinygrad_edu, dtype))
    t = torch.zeros(1, 1, 2, 2, dtype=getattr(torch, dtype))
    if dtype not in support.INTEGRAL_BUT_LONG:
        support.refuse(x, "avg_pool2d", support.INTEGRAL_BUT_LONG)
        torch.nn.functional.avg_pool2d(t, 2)
        return
    with pytest.raises(NotImplementedError) as ours:
        support.refuse(x, "avg_pool2d", support.INTEGRAL_BUT_LONG)
    assert str(ours.value) == str(_torch_error(lambda: torch.nn.functional.avg_pool2d(t, 2)))


def test_refuse_with_raises_the_sentence_given():
    x = tinygrad_edu.zeros(2, dtype=tinygrad_edu.bool)
    with pytest.raises(RuntimeError, match="^Boolean inputs not supported for relu$"):
        support.refuse_with(x, support.BOOL, "Boolean inputs not supported for relu")
    support.refuse_with(tinygrad_edu.zeros(2), support.BOOL, "never raised for float")


@pytest.mark.parametrize("operands", [("b", "b"), ("b", "i"), ("i", "b"), ("b", 1), (1, "b"),
                                      ("i", True)], ids=repr)
def test_check_subtraction_says_what_torch_says(operands, same_error_as_torch):
    def make(lib, x):
        if x == "b":
            return lib.tensor([True, False])
        return lib.tensor([1, 2]) if x == "i" else x
    same_error_as_torch(lambda lib: lib.sub(*[make(lib, x) for x in operands]), RuntimeError)


@pytest.mark.parametrize("dtype", ["uint8", "int32", "int64"])
@pytest.mark.parametrize("alpha", [0.5, True])
def test_check_alpha_refuses_an_alpha_of_another_kind(dtype, alpha, same_error_as_torch):
    def call(lib):
        x = lib.tensor(np.array([1, 2], dtype=dtype))
        return lib.add(x, x, alpha=alpha)
    same_error_as_torch(call, RuntimeError)


def test_check_alpha_lets_a_float_alpha_through_when_the_result_is_float():
    x = tinygrad_edu.tensor([1, 2])
    ours = tinygrad_edu.add(x, tinygrad_edu.tensor([1.0, 2.0]), alpha=0.5)
    theirs = torch.add(torch.tensor([1, 2]), torch.tensor([1.0, 2.0]), alpha=0.5)
    assert ours.tolist() == theirs.tolist() and str(ours.dtype) == str(theirs.dtype)
