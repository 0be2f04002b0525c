"""Type promotion follows torch (not NumPy) for every mix of dtypes, dims and Python scalars."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg

NAMES = ["float32", "float64", "int64", "int32", "uint8", "bool"]


def make(lib, name, ndim):
    data = np.ones((2,) * ndim, dtype=name if name != "bool" else np.bool_)
    return lib.tensor(data, dtype=getattr(lib, name))


@pytest.mark.parametrize("a,b", list(itertools.product(NAMES, NAMES)))
@pytest.mark.parametrize("dims", [(1, 1), (1, 0), (0, 1), (0, 0)])
def test_tensor_tensor_promotion(a, b, dims):
    ours = (make(tg, a, dims[0]) + make(tg, b, dims[1])).dtype
    theirs = (make(torch, a, dims[0]) + make(torch, b, dims[1])).dtype
    assert repr(ours) == repr(theirs)


@given(name=st.sampled_from(NAMES), scalar=st.sampled_from([2, -1, 2.5, True]),
       ndim=st.sampled_from([0, 1]), op=st.sampled_from(["add", "mul", "div", "sub", "rsub"]))
def test_tensor_scalar_promotion(name, scalar, ndim, op):
    def run(lib):
        x = make(lib, name, ndim)
        if op == "add":
            return (x + scalar).dtype
        if op == "mul":
            return (scalar * x).dtype
        if op == "div":
            return (x / scalar).dtype
        if op == "sub":
            return (x - scalar).dtype
        return (scalar - x).dtype
    try:
        theirs = run(torch)
    except RuntimeError:
        with pytest.raises(RuntimeError):
            run(tg)
        return
    assert repr(run(tg)) == repr(theirs)


def test_values_after_promotion_match():
    a = np.array([1, 2, 3], dtype=np.int64)
    for lib in (tg, torch):
        assert (lib.tensor(a) / 2).tolist() == [0.5, 1.0, 1.5]
        assert (lib.tensor(a) * 1.5).dtype == lib.float32
        assert (lib.tensor(a, dtype=lib.uint8) + 3).dtype == lib.uint8


def test_promote_types_and_result_type_functions():
    assert tg.promote_types(tg.int32, tg.float32) is tg.float32
    assert tg.promote_types(tg.uint8, tg.int32) is tg.int32
    assert tg.result_type(tg.tensor([1, 2]), 1.0) is tg.float32
    assert tg.can_cast(tg.int64, tg.float32) and not tg.can_cast(tg.float32, tg.int64)


def test_dtype_aliases_and_repr():
    assert tg.float is tg.float32 and tg.double is tg.float64
    assert tg.long is tg.int64 and tg.int is tg.int32
    assert repr(tg.float64) == "torch.float64" and repr(tg.bool) == "torch.bool"
    assert tg.float32.is_floating_point and not tg.int64.is_floating_point
    assert tg.zeros(2, dtype=float).dtype is tg.float64  # Python's float, as torch


def test_default_dtype_can_change():
    tg.set_default_dtype(tg.float64)
    try:
        assert tg.tensor([1.5]).dtype is tg.float64
        assert tg.ones(2).dtype is tg.float64
        assert (tg.tensor([1, 2]) * 0.5).dtype is tg.float64
    finally:
        tg.set_default_dtype(tg.float32)
