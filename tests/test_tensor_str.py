"""print(tensor) gives torch's exact text."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu as tg

CASES = [
    [1.9335, 0.8795, -0.6964], [[1.0, 2.0], [3.0, 4.0]], [1e-5, 1e5], [1e10, 1.0],
    [0.1, 100.0], [0.0, 0.0], [float("nan"), 1.0], [float("inf"), -float("inf"), 2.5],
    [1.0, -float("inf")], [123456.0, 0.001], 3.5, -0.0, 7.0, [[[1.5]]], [],
]


def same_text(make):
    ours, theirs = make(tg), make(torch)
    assert repr(ours) == repr(theirs), f"\nours:  {ours!r}\ntorch: {theirs!r}"
    assert str(ours) == str(theirs)


@pytest.mark.parametrize("data", CASES)
def test_float_tensors(data):
    same_text(lambda lib: lib.tensor(data))


@pytest.mark.parametrize("dtype", ["float64", "int64", "int32", "uint8", "bool"])
def test_dtype_suffix(dtype):
    same_text(lambda lib: lib.tensor([1, 0, 1], dtype=getattr(lib, dtype)))


def test_empty_shapes_and_grad_suffixes():
    same_text(lambda lib: lib.zeros(0, 3))
    same_text(lambda lib: lib.zeros(2, 0, dtype=lib.float64))
    same_text(lambda lib: lib.ones(2, 2, requires_grad=True))
    same_text(lambda lib: lib.ones(2, 2, requires_grad=True) * 2)
    same_text(lambda lib: lib.ones(3, dtype=lib.float64, requires_grad=True).sum())


def test_summarized_above_1000_elements():
    same_text(lambda lib: lib.arange(2000.0))
    same_text(lambda lib: lib.arange(3000).reshape(30, 100))
    same_text(lambda lib: lib.arange(1000.0).reshape(10, 10, 10) / 7)


def test_long_rows_wrap_at_80_columns():
    same_text(lambda lib: lib.arange(60.0).reshape(2, 30) / 3)
    same_text(lambda lib: (lib.arange(25.0, requires_grad=True) - 12.5) * 1e5)


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=6),
                  elements=st.floats(-1e6, 1e6, allow_nan=False, width=32)),
       st.sampled_from(["float32", "float64"]))
def test_random_tensors_print_like_torch(array, dtype):
    same_text(lambda lib: lib.tensor(array, dtype=getattr(lib, dtype)))


def test_format_and_item():
    x = tg.tensor(3.14159)
    assert f"{x:.2f}" == "3.14" and f"{tg.tensor([1.0]).sum():.4f}" == "1.0000"
    assert repr(tg.tensor([1.0]).shape) == "torch.Size([1])"
