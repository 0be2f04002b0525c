"""functions/sampling_more.py against torch: the random in-place fillers and sampling methods.
The numbers differ from torch's (another generator), so each is checked for torch's dtype,
shape, support and errors, and for its distribution's mean on many draws."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import tinygrad_edu

N = 20000


@pytest.mark.parametrize("fill, mean, whole", [
    (lambda x: x.bernoulli_(0.3), 0.3, True), (lambda x: x.exponential_(2.0), 0.5, False),
    (lambda x: x.geometric_(0.25), 4.0, True),
    (lambda x: x.log_normal_(0.5, 0.25), math.exp(0.5 + 0.25 ** 2 / 2), False),
    (lambda x: x.random_(3, 7), 4.5, True), (lambda x: x.random_(10), 4.5, True),
], ids=["bernoulli_", "exponential_", "geometric_", "log_normal_", "random_-range",
        "random_-to"])
def test_fills_have_torchs_dtype_and_mean(fill, mean, whole):
    for lib in (torch, tinygrad_edu):
        x = lib.zeros(N, dtype=lib.float64)
        before = x._version
        assert fill(x) is x and x._version > before and str(x.dtype) == "torch.float64"
        assert abs(x.mean().item() - mean) < 0.05 * mean
        values = np.asarray(x.tolist())
        assert np.all(values == np.round(values)) == whole


def test_cauchy_median_and_random_defaults():
    for lib in (torch, tinygrad_edu):
        x = lib.zeros(N).cauchy_(1.0, 0.5)
        assert abs(x.median().item() - 1.0) < 0.05
        quartiles = np.quantile(np.asarray(x.tolist()), [0.25, 0.75])
        np.testing.assert_allclose(quartiles, [0.5, 1.5], atol=0.06)
        for dtype, top in (("uint8", 255), ("int8", 127), ("bool", 1)):
            drawn = lib.zeros(2000, dtype=getattr(lib, dtype)).random_()
            assert str(drawn.dtype) == f"torch.{dtype}"
            assert int(drawn.min()) >= 0 and int(drawn.max()) <= top and int(drawn.max()) > 0


def test_integer_tensors_take_discrete_fills():
    for lib in (torch, tinygrad_edu):
        x = lib.zeros(1000, dtype=lib.int64)
        assert set(x.bernoulli_(0.5).tolist()) == {0, 1}
        assert min(x.geometric_(0.5).tolist()) >= 1 and str(x.dtype) == "torch.int64"
        p = lib.tensor([0.0, 1.0, 1.0, 0.0])
        assert lib.zeros(4).bernoulli_(p).tolist() == [0, 1, 1, 0]


def test_bernoulli_and_multinomial_methods():
    for lib in (torch, tinygrad_edu):
        assert lib.tensor([0.0, 1.0]).bernoulli().tolist() == [0.0, 1.0]
        assert lib.tensor([0.0, 1.0]).bernoulli(1.0).tolist() == [1.0, 1.0]
        picks = lib.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]).multinomial(2, replacement=True)
        assert picks.tolist() == [[1, 1], [0, 0]] and str(picks.dtype) == "torch.int64"


@pytest.mark.parametrize("call, exception", [
    (lambda t: t.zeros(2).bernoulli_(2), RuntimeError),
    (lambda t: t.zeros(2).exponential_(0), RuntimeError),
    (lambda t: t.zeros(2, dtype=t.int64).exponential_(), RuntimeError),
    (lambda t: t.zeros(2).geometric_(1), RuntimeError),
    (lambda t: t.zeros(2).cauchy_(0, -1), RuntimeError),
    (lambda t: t.zeros(2, dtype=t.int64).cauchy_(), RuntimeError),
    (lambda t: t.zeros(2).log_normal_(1, 0), RuntimeError),
    (lambda t: t.zeros(2, dtype=t.int64).log_normal_(), NotImplementedError),
    (lambda t: t.zeros(2).random_(5, 3), RuntimeError),
    (lambda t: t.zeros(2, dtype=t.int8).random_(0, 300), RuntimeError),
    (lambda t: t.zeros(2, requires_grad=True).exponential_(), RuntimeError),
    (lambda t: t.zeros(4).bernoulli_(t.tensor([0.0, 1.0])), RuntimeError),
], ids=lambda v: "" if callable(v) else v.__name__)
def test_errors_as_torch(call, exception, same_error_as_torch):
    same_error_as_torch(call, exception)
