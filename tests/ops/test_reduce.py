"""ops/reduce.py: Sum SumDim Mean MeanDim Amax, and their helper expand_back.

`x.sum()` records Sum (SumBackward0) and `x.sum(dim=...)` SumDim (SumBackward1); mean likewise.
Property-based parity with torch in float64 (int, negative and tuple dims, keepdim, 0-d tensors,
empty axes for sum and mean, ties for amax), and a finite-difference gradcheck without torch.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu
from tinygrad_edu.autograd import gradcheck
from tinygrad_edu.ops.reduce import expand_back

ANY = st.floats(-3, 3)
TIES = st.one_of(st.sampled_from([-1.0, 0.0, 2.0]), ANY)  # several maxima share the gradient


@st.composite
def shape_and_dim(draw, min_side=1):
    """A shape and a `dim` torch takes: one axis, or a tuple of distinct ones, any of them
    negative; () reduces every axis, and a 0-d tensor takes dim 0 or -1."""
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=min_side, max_side=3))
    ndim = max(len(shape), 1)
    axes = draw(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim))
    axes = [axis - ndim if draw(st.booleans()) else axis for axis in axes]
    if len(axes) == 1 and draw(st.booleans()):
        return shape, axes[0]
    return shape, tuple(axes)


def arrays(shape, elements=ANY):
    return hnp.arrays(np.float64, shape, elements=elements)


def reduce(method: str, dim, keepdim: bool):
    """x.sum() when dim is None (Sum, Mean), else x.sum(dim=dim, keepdim=keepdim) (SumDim...)."""
    if dim is None:
        return lambda lib, x: getattr(x, method)()
    return lambda lib, x: getattr(x, method)(dim=dim, keepdim=keepdim)


# ----------------------------------------------------------------------------- parity

@pytest.mark.filterwarnings("ignore:Mean of empty slice")  # NumPy's; the value is nan as torch's
@pytest.mark.parametrize("method", ["sum", "mean"])
@given(case=shape_and_dim(min_side=0), all_axes=st.booleans(), keepdim=st.booleans(),
       data=st.data())
def test_sum_and_mean_match_torch(method, case, all_axes, keepdim, data, device, matches_torch):
    shape, dim = case
    x = data.draw(arrays(shape), label="x")
    matches_torch(reduce(method, None if all_axes else dim, keepdim), x, device=device)


@given(case=shape_and_dim(), all_axes=st.booleans(), keepdim=st.booleans(), data=st.data())
def test_amax_matches_torch(case, all_axes, keepdim, data, device, matches_torch):
    shape, dim = case
    x = data.draw(arrays(shape, TIES), label="x")
    if all_axes:
        matches_torch(lambda lib, x: x.amax(), x, device=device)
    else:
        matches_torch(lambda lib, x: x.amax(dim, keepdim), x, device=device)


def test_amax_ties_match_torch(matches_torch):
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    matches_torch(lambda lib, x: x.amax(dim=1), x)
    matches_torch(lambda lib, x: x.amax(), x)


def test_amax_gradient_of_ties_by_hand():
    x = tinygrad_edu.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], requires_grad=True)
    x.amax(dim=1).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])


# ----------------------------------------------------------------------------- expand_back

@given(shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=3), all_axes=st.booleans(),
       keepdim=st.booleans(), data=st.data())
def test_expand_back_undoes_the_shape_of_a_reduction(shape, all_axes, keepdim, data):
    ndim = len(shape)
    axes = st.lists(st.integers(0, max(ndim - 1, 0)), unique=True, max_size=ndim)
    dims = None if all_axes else tuple(sorted(data.draw(axes, label="dims")))
    reduced_shape = np.zeros(shape).sum(axis=dims, keepdims=keepdim).shape
    grad = data.draw(arrays(reduced_shape), label="grad")
    out = expand_back(tinygrad_edu.tensor(grad), shape, dims, keepdim)
    kept = grad if keepdim or dims is None else np.expand_dims(grad, dims)
    np.testing.assert_array_equal(out.numpy(), np.broadcast_to(kept, shape))


# ----------------------------------------------------------------------------- gradcheck

# name -> (function, input shape); inputs uniform in [-1, 1), so no two are tied for amax
GRADCHECKS = {
    "sum": (lambda x: x.sum(), (2, 3)),
    "sum_0d": (lambda x: x.sum(), ()),
    "sum_dim": (lambda x: x.sum(dim=1), (2, 3, 2)),
    "sum_dims_keepdim": (lambda x: x.sum(dim=(0, -1), keepdim=True), (2, 3, 2)),
    "mean": (lambda x: x.mean(), (2, 3)),
    "mean_dim": (lambda x: x.mean(dim=-1), (2, 3)),
    "mean_dims_keepdim": (lambda x: x.mean(dim=(0, 2), keepdim=True), (2, 3, 2)),
    "amax": (lambda x: x.amax(), (2, 3)),
    "amax_dim": (lambda x: x.amax(dim=1), (2, 3, 2)),
    "amax_dims_keepdim": (lambda x: x.amax(dim=(0, 2), keepdim=True), (2, 3, 2)),
}


@pytest.mark.parametrize("name", sorted(GRADCHECKS))
def test_gradcheck(name, leaves):
    function, shape = GRADCHECKS[name]
    assert gradcheck(function, leaves(shape))
