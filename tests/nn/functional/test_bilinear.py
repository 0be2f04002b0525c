"""bilinear against torch: with and without bias, 1-d and batched inputs, integer tensors,
second derivatives, errors."""
from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from tinygrad_edu.autograd import gradgradcheck

RNG = np.random.default_rng(0)
X1, X2 = RNG.standard_normal((3, 2)), RNG.standard_normal((3, 4))
W, B = RNG.standard_normal((5, 2, 4)), RNG.standard_normal(5)


def test_values_and_gradients(same_as_torch):
    same_as_torch(lambda lib, a, b, w, c: lib.nn.functional.bilinear(a, b, w, c), X1, X2, W, B)
    same_as_torch(lambda lib, a, b, w: lib.nn.functional.bilinear(a, b, w), X1, X2, W)
    same_as_torch(lambda lib, a, b, w, c: lib.nn.functional.bilinear(a, b, w, c),
                  X1[0], X2[0], W, B)
    same_as_torch(lambda lib, a, b, w, c: lib.nn.functional.bilinear(a, b, w, c),
                  np.stack([X1, X1]), np.stack([X2, 2 * X2]), W, B)
    same_as_torch(lambda lib, a, b, w: lib.nn.functional.bilinear(a, b, w),
                  np.array([[1, 2]]), np.array([[1, 2, 3, 4]]), np.ones((5, 2, 4), np.int64))


def test_second_derivatives_by_finite_differences():
    leaves = [tinygrad_edu.tensor(a[:2, :2] if a.ndim == 2 else a[:2, :2, :2],
                                  requires_grad=True) for a in (X1, X2, W)]
    assert gradgradcheck(lambda a, b, w: F.bilinear(a, b, w), leaves)


ERRORS = [
    (lambda lib: lib.nn.functional.bilinear(lib.ones(3, 2), lib.ones(2, 4), lib.ones(5, 2, 4)),
     "bilinear(): input batch dimensions do not match"),
    (lambda lib: lib.nn.functional.bilinear(lib.ones(3, 2), lib.ones(3, 4), lib.ones(5, 1, 4)),
     "bilinear(): input1 size does not match weight size: got 2 but expected 1"),
    (lambda lib: lib.nn.functional.bilinear(lib.ones(3, 2), lib.ones(3, 4), lib.ones(5, 2, 1)),
     "bilinear(): input2 size does not match weight size: got 4 but expected 1"),
    (lambda lib: lib.nn.functional.bilinear(lib.ones(3, 2), lib.ones(3, 4), lib.ones(5, 2, 4),
                                            lib.ones(2)),
     "bilinear(): bias size does not match weight size: got 2 but expected 5"),
    (lambda lib: lib.nn.functional.bilinear(lib.ones(3, 2, dtype=lib.float64), lib.ones(3, 4),
                                            lib.ones(5, 2, 4), lib.ones(5)),
     "All tensors must have the same dtype, got input1: double, input2: float, weight: float, "
     "bias: float"),
]


@pytest.mark.parametrize("call, phrase", ERRORS)
def test_errors_are_torchs(call, phrase, raises_as_torch):
    raises_as_torch(call, phrase)
