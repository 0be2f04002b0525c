"""Counting and searching (functions/searching.py) against torch: unique, unique_consecutive,
bincount, histc, histogram, bucketize, searchsorted, count_nonzero — values, dtypes and errors,
and the derivative torch refuses."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu

NAN = float("nan")
INTEGERS = np.array([[1, 3, 3, 2], [2, 2, 5, 1]])

# ----------------------------------------------------------------------------- unique & counting


def _same_values(call, *arrays):
    """call(lib, *tensors) in torch and here: the same values, dtypes and shapes (no grad)."""
    theirs = call(torch, *[torch.tensor(a) for a in arrays])
    ours = call(tinygrad_edu, *[tinygrad_edu.tensor(a) for a in arrays])
    theirs, ours = (theirs, ours) if isinstance(theirs, tuple) else ((theirs,), (ours,))
    assert len(ours) == len(theirs)
    for mine, expected in zip(ours, theirs):
        assert str(mine.dtype) == str(expected.dtype)
        assert tuple(mine.shape) == tuple(expected.shape)
        np.testing.assert_allclose(mine.numpy(), expected.numpy(), rtol=1e-6)


@pytest.mark.parametrize("call", [
    lambda t, x: t.unique(x), lambda t, x: x.unique(return_inverse=True, return_counts=True),
    lambda t, x: t.unique(x, sorted=False, return_counts=True),
    lambda t, x: t.unique(x, dim=0, return_inverse=True, return_counts=True),
    lambda t, x: x.unique(dim=1, return_inverse=True),
    lambda t, x: t.unique_consecutive(x, return_inverse=True, return_counts=True),
    lambda t, x: x.unique_consecutive(dim=1, return_counts=True),
    lambda t, x: t.unique(x.float()), lambda t, x: t.unique(x[0, 0]),
])
def test_unique(call):
    _same_values(call, np.array([[3, 1, 1, 3], [3, 1, 1, 3], [0, 5, 5, 2]]))


def test_unique_of_nans_and_empty_slices():
    _same_values(lambda t, x: t.unique(x, return_counts=True), np.array([1.0, NAN, NAN, 1.0]))
    _same_values(lambda t, x: t.unique(x, dim=0, return_inverse=True), np.zeros((0, 3)))


@pytest.mark.parametrize("call", [
    lambda t, x: t.bincount(x), lambda t, x: x.bincount(minlength=9),
    lambda t, x: t.bincount(x, t.arange(5.0) / 2), lambda t, x: t.bincount(x, t.arange(5)),
    lambda t, x: t.bincount(x, t.arange(5.0, dtype=t.float64)),
    lambda t, x: t.bincount(x[:0]), lambda t, x: t.bincount(x.to(t.uint8)),
])
def test_bincount(call):
    _same_values(call, np.array([1, 1, 3, 0, 6]))


@pytest.mark.parametrize("call", [
    lambda t, x: t.histc(x), lambda t, x: x.histc(bins=4, min=0, max=3),
    lambda t, x: t.histc(x.double(), 3, 1, 1), lambda t, x: t.histc(x[:1], 4),
    lambda t, x: t.histc(x[:0], 4),
    lambda t, x: t.histogram(x, 4, range=(0.0, 3.0), weight=x * 2),
    lambda t, x: x.histogram(t.tensor([0.0, 1.0, 2.5]), density=True),
    lambda t, x: t.histogram(x[:1], 3), lambda t, x: t.histogram(x, 5, density=True),
])
def test_histograms(call):
    _same_values(call, np.array([[1.0, 2.0, 1.0], [5.0, -1.0, 0.3], [3.0, 2.9, 0.0]],
                                dtype=np.float32))


ROWS = [[1, 3, 5], [2, 4, 6], [0, 9, 9]]


@pytest.mark.parametrize("call", [
    lambda t, x: t.bucketize(x, t.tensor([1, 3, 5, 7, 9])),
    lambda t, x: t.bucketize(x, t.tensor([1, 3, 5, 7, 9]), right=True, out_int32=True),
    lambda t, x: t.bucketize(3, t.tensor([1, 3, 5])),
    lambda t, x: t.bucketize(x.double(), t.tensor([1.0, 3.5])),
    lambda t, x: t.searchsorted(t.tensor([1, 3, 5, 7, 9]), x, side="right"),
    lambda t, x: t.searchsorted(t.tensor(ROWS), x.reshape(3, 2), right=True),
    lambda t, x: t.searchsorted(t.tensor(ROWS), x.reshape(3, 2), side="left"),
    lambda t, x: t.searchsorted(t.tensor([9, 3, 5, 1]), x, sorter=t.tensor([3, 1, 2, 0])),
    lambda t, x: t.searchsorted(t.tensor([1.0, 3.0]), 2),
    lambda t, x: t.searchsorted(t.tensor([1.0, 3.0]), t.tensor([NAN, 3.0])),
])
def test_bucketize_and_searchsorted(call):
    _same_values(call, np.array([[1, 5, 2], [3, 9, 10]]))


def test_count_nonzero_over_dims():
    _same_values(lambda t, x: (t.count_nonzero(x), x.count_nonzero((0, 1)),
                               t.count_nonzero(x, dim=[-1]), t.count_nonzero(x, 0)), INTEGERS - 2)


@pytest.mark.parametrize("call, phrase", [
    (lambda t: t.unique(t.tensor(3), dim=0), "Dimension specified as 0 but tensor has no dim"),
    (lambda t: t.unique(t.zeros(0, 3), dim=1), "There are 0 sized dimensions"),
    (lambda t: t.bincount(t.tensor([1, -1])), "1-d non-negative integral inputs"),
    (lambda t: t.bincount(t.tensor([[1]])), "1-d non-negative integral inputs"),
    (lambda t: t.bincount(t.tensor([1.0])), "not implemented for 'Float'"),
    (lambda t: t.bincount(t.tensor([1, 2]), t.ones(1)), "weights should be 1-d and have the same"),
    (lambda t: t.bincount(t.tensor([1]), minlength=-1), "minlength should be >= 0"),
    (lambda t: t.histc(t.tensor([1, 2])), "not implemented for 'Long'"),
    (lambda t: t.histc(t.ones(2), bins=0), "bins must be > 0, but got 0 for dimension 0"),
    (lambda t: t.histc(t.ones(2), 4, 3, 0), "torch.histc: max must be larger than min"),
    (lambda t: t.histc(t.tensor([1.0, float("inf")])), "range of [1, inf] is not finite"),
    (lambda t: t.histogram(t.tensor([1, 2]), 2), "not implemented for 'Long'"),
    (lambda t: t.histogram(t.ones(2), 2, range=(3.0, 1.0)), "min should not exceed max"),
    (lambda t: t.histogram(t.ones(2), t.ones(2, 2)), "bins tensor should have one dimension"),
    (lambda t: t.histogram(t.ones(2), 2, weight=t.ones(3)), "should have the same shape as"),
    (lambda t: t.histogram(t.ones(2), 2, weight=t.ones(2, dtype=t.float64)), "same dtype"),
    (lambda t: t.bucketize(t.ones(2), t.ones(1, 2)), "boundaries tensor must be 1 dimension"),
    (lambda t: t.searchsorted(t.ones(2, 3), t.ones(1, 3)), "first N-1 dimensions of boundaries"),
    (lambda t: t.searchsorted(t.ones(3), 1.0, side="middle"), "side can only be 'left' or"),
    (lambda t: t.searchsorted(t.ones(3), 1.0, right=True, side="left"), "can't be set to oppo"),
    (lambda t: t.searchsorted(t.tensor(1.0), t.ones(1)), "boundaries tensor should have positive"),
    (lambda t: t.searchsorted(t.ones(3), 1.0, sorter=t.tensor([0, 1])), "must have the same si"),
    (lambda t: t.searchsorted(t.ones(2), 1.0, sorter=t.ones(2)), "sorter must be a tensor of lo"),
])
def test_counting_and_searching_errors(raises_as_torch, call, phrase):
    raises_as_torch(call, phrase)


@pytest.mark.parametrize("call, exception, phrase", [
    (lambda t, x: t.unique(x), NotImplementedError, "derivative for '_unique2' is not impl"),
    (lambda t, x: t.unique(x, dim=0), NotImplementedError, "derivative for 'unique_dim'"),
    (lambda t, x: t.unique_consecutive(x), NotImplementedError, "'unique_consecutive' is not"),
    (lambda t, x: t.histogram(x, 3).hist, RuntimeError, "derivative for aten::histogram is not"),
    (lambda t, x: t.bincount(t.tensor([0, 1, 1]), x), RuntimeError, "aten::bincount is not"),
])
def test_results_torch_cannot_differentiate_require_grad_and_refuse_backward(call, exception,
                                                                            phrase):
    for lib in (torch, tinygrad_edu):
        x = lib.tensor([3.0, 1.0, 1.0], requires_grad=True)
        y = call(lib, x)
        assert y.requires_grad and type(y.grad_fn).__name__ != "NoneType"
        with pytest.raises(exception, match=phrase):
            y.sum().backward()
    assert not tinygrad_edu.histc(x).requires_grad
