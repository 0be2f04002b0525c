"""ops/_broadcast.py: unbroadcast(grad, shape), the adjoint of broadcasting.

Checked three ways: against torch's Tensor.sum_to_size (the same function), against the sums
over the broadcast axes written out with NumPy, and by the adjoint identity
<unbroadcast(g), x> = <g, broadcast(x)>, which needs neither. Incompatible shapes raise ValueError.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu
from tinygrad_edu.ops._broadcast import unbroadcast

VALUES = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


@st.composite
def broadcast_pairs(draw):
    """(shape, the shape it broadcasts to): size-1 axes stretched, leading axes added."""
    target = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=3))
    kept = draw(st.integers(0, len(target)))
    shape = tuple(draw(st.sampled_from([1, size])) for size in target[len(target) - kept:])
    return shape, target


def _by_hand(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """The sums over the broadcast axes, one axis at a time."""
    extra = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(extra))) if extra else grad
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


@given(pair=broadcast_pairs(), data=st.data())
def test_unbroadcast_sums_over_the_broadcast_axes(pair, data, device):
    shape, target = pair
    grad = data.draw(hnp.arrays(np.float64, target, elements=VALUES), label="grad")
    out = unbroadcast(tinygrad_edu.tensor(grad, device=device), shape)
    assert tuple(out.shape) == shape
    result = out.cpu().numpy()
    expected = torch.tensor(grad).sum_to_size(shape).numpy()
    np.testing.assert_allclose(result, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(result, _by_hand(grad, shape), rtol=1e-10, atol=1e-12)


@given(pair=broadcast_pairs(), data=st.data())
def test_unbroadcast_is_the_adjoint_of_broadcasting(pair, data):
    shape, target = pair
    grad = data.draw(hnp.arrays(np.float64, target, elements=VALUES), label="grad")
    x = data.draw(hnp.arrays(np.float64, shape, elements=VALUES), label="x")
    left = float((unbroadcast(tinygrad_edu.tensor(grad), shape).numpy() * x).sum())
    right = float((grad * np.broadcast_to(x, target)).sum())
    assert left == pytest.approx(right, rel=1e-10, abs=1e-9)


def test_unbroadcast_examples():
    grad = tinygrad_edu.tensor(np.arange(24.0).reshape(2, 3, 4))
    assert unbroadcast(grad, (2, 3, 4)) is grad  # nothing was broadcast: no new tensor
    np.testing.assert_array_equal(unbroadcast(grad, (3, 1)).numpy(),
                                  np.arange(24.0).reshape(2, 3, 4).sum(axis=(0, 2))[:, None])
    np.testing.assert_array_equal(unbroadcast(grad, ()).numpy(), np.array(276.0))
    np.testing.assert_array_equal(unbroadcast(grad, (1, 1, 4)).numpy(),
                                  np.arange(24.0).reshape(6, 4).sum(axis=0)[None, None])


@pytest.mark.parametrize("grad_shape,shape", [
    ((3,), (2, 3)),        # the gradient has fewer axes than its tensor
    ((4,), (3,)),          # sizes differ and neither is 1
    ((2, 3), (3, 3)),
    ((2, 1), (2, 3)),      # a size-1 gradient axis cannot have come from a size-3 tensor axis
    ((5, 2, 3), (4, 3)),
])
def test_unbroadcast_rejects_incompatible_shapes(grad_shape, shape):
    with pytest.raises(ValueError):
        unbroadcast(tinygrad_edu.zeros(grad_shape, dtype=tinygrad_edu.float64), shape)


def test_a_binary_op_sends_each_input_the_unbroadcast_gradient():
    # the engine applies unbroadcast to Add's gradient: x (3, 1) and y (4,) give z (3, 4)
    x = tinygrad_edu.ones((3, 1), dtype=tinygrad_edu.float64, requires_grad=True)
    y = tinygrad_edu.ones(4, dtype=tinygrad_edu.float64, requires_grad=True)
    (x + y).backward(tinygrad_edu.ones((3, 4), dtype=tinygrad_edu.float64))
    np.testing.assert_array_equal(x.grad.numpy(), np.full((3, 1), 4.0))
    np.testing.assert_array_equal(y.grad.numpy(), np.full(4, 3.0))
