"""Hypothesis strategies for property-testing ops against torch (public API).

    from hypothesis import given
    from parity import check_op, strategies as ps

    @given(ps.arrays(dtype="float64"))
    def test_my_tanh(x):
        check_op(lambda lib, t: lib.tanh(t), [x])

Shapes include 0-d tensors and size-1 dims; `broadcastable` draws shapes that broadcast together;
values mix ordinary floats with the points where ops have kinks or ties (0, ±1, repeats), so that
subgradient choices are compared with torch's too.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .architectures import architectures, cnns, mlps  # noqa: F401 - parity.strategies.mlps()

FLOAT_DTYPES = ("float64", "float32")

# A few exact values that sit on kinks (relu and abs at 0, clamp at ±1) or create ties.
SPECIAL_VALUES = (0.0, 1.0, -1.0, 0.5, -0.5, 2.0)


def shapes(min_dims: int = 0, max_dims: int = 4, min_side: int = 1, max_side: int = 4):
    """Array shapes, 0-d included by default; size-1 sides are common."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=max_side)


def broadcastable(count: int = 2, min_dims: int = 0, max_dims: int = 4, max_side: int = 4):
    """`count` shapes that broadcast together (some dims 1, some missing)."""
    return hnp.mutually_broadcastable_shapes(num_shapes=count, min_dims=min_dims,
                                             max_dims=max_dims, max_side=max_side).map(
        lambda result: result.input_shapes)


def _float32_bound(value: float, upward: bool) -> float:
    """The nearest float32 inside the bound (hypothesis draws float32-representable values)."""
    rounded = np.float32(value)
    if (upward and rounded < value) or (not upward and rounded > value):
        rounded = np.nextafter(rounded, np.float32(np.inf if upward else -np.inf))
    return float(rounded)


def values(low: float = -3.0, high: float = 3.0, special: bool = True):
    """Element values: bounded floats, often exactly one of SPECIAL_VALUES within [low, high]."""
    low, high = _float32_bound(low, upward=True), _float32_bound(high, upward=False)
    ordinary = st.floats(low, high, allow_nan=False, allow_infinity=False, width=32).map(
        lambda v: 0.0 if abs(v) < 1e-6 else v)  # no subnormals: both libraries flush them
    if not special:
        return ordinary
    exact = [v for v in SPECIAL_VALUES if low <= v <= high]
    return st.one_of(ordinary, st.sampled_from(exact)) if exact else ordinary


def arrays(dtype: str = "float64", shape=None, low: float = -3.0, high: float = 3.0,
           special: bool = True, away_from_zero: float = 0.0):
    """NumPy arrays of `dtype` with values in [low, high]; |x| >= away_from_zero if given."""
    elements = values(low, high, special)
    if away_from_zero:
        elements = elements.filter(lambda v: abs(v) >= away_from_zero)
    return hnp.arrays(np.dtype(dtype), shape if shape is not None else shapes(),
                      elements=elements)


def distinct_arrays(dtype: str = "float64", shape=None, low: float = -3.0, high: float = 3.0):
    """Arrays whose elements are all different (for ops where ties make gradients ambiguous)."""
    low, high = _float32_bound(low, upward=True), _float32_bound(high, upward=False)
    elements = st.floats(low, high, allow_nan=False, width=32).filter(
        lambda v: v == 0 or abs(v) >= 1e-6)  # no subnormals
    return hnp.arrays(np.dtype(dtype), shape if shape is not None else shapes(),
                      elements=elements, unique=True)


def dims(ndim: int, allow_none: bool = True):
    """A dim argument for a tensor of `ndim` dims: an int (negative too), a tuple, or None."""
    if ndim == 0:
        return st.sampled_from([None, 0, -1]) if allow_none else st.sampled_from([0, -1])
    single = st.integers(-ndim, ndim - 1)
    several = st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(
        tuple)
    options = [single, several] + ([st.none()] if allow_none else [])
    return st.one_of(*options)


def dim(ndim: int):
    """One dim (negative allowed) for a tensor of at least one dim."""
    return st.integers(-max(ndim, 1), max(ndim, 1) - 1)


def index_arrays(size: int, shape=None, allow_repeats: bool = True):
    """Integer index arrays into an axis of `size` (negative and repeated indices included)."""
    shape = shape if shape is not None else hnp.array_shapes(min_dims=1, max_dims=2, max_side=4)
    return hnp.arrays(np.int64, shape, elements=st.integers(-size, size - 1),
                      unique=not allow_repeats)
