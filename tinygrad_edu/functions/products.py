"""Vector products, covariance and distances with torch's signatures: kron, inner, vdot,
cov, corrcoef, dist, cdist; with their Tensor methods (`METHODS`). All but cdist are written with
Tensor ops; cdist is one primitive (statistics_ops.Cdist) whose backward follows torch's rules at
zero distances.
"""
from __future__ import annotations

import warnings

from .. import dtypes
from ..backend import get_array_module
from ..tensor import Tensor
from . import dtype_support as support
from . import linalg_ops as lao
from . import statistics_ops as so
from .reduction import norm
from .statistics import tensors

__all__ = ["cdist", "corrcoef", "cov", "dist", "inner", "kron", "vdot"]


def _same_scalar_type(input, other) -> None:
    if input.dtype != other.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype.scalar_name} but found "
                           f"{other.dtype.scalar_name}")


def kron(input, other):
    """The Kronecker product: every element of input times the whole of other, in blocks."""
    tensors("kron", ("input", input), ("other", other))
    ndim = max(input._data.ndim, other._data.ndim)
    a = input.reshape((1,) * (ndim - input._data.ndim) + tuple(input.shape))
    b = other.reshape((1,) * (ndim - other._data.ndim) + tuple(other.shape))
    spread_a = [size for s in a.shape for size in (s, 1)]   # (a0, 1, a1, 1, ...)
    spread_b = [size for s in b.shape for size in (1, s)]   # (1, b0, 1, b1, ...)
    blocks = a.reshape(spread_a) * b.reshape(spread_b)
    return blocks.reshape([x * y for x, y in zip(a.shape, b.shape)])


def inner(input, other):
    """Σ over the last dims of input and other, for every pair of their other indices."""
    tensors("inner", ("input", input), ("other", other))
    if input._data.ndim == 0 or other._data.ndim == 0:
        return input * other
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError("inner() the last dimension must match on both input tensors but got "
                           f"shapes {list(input.shape)} and {list(other.shape)}")
    if input.dtype != other.dtype:
        raise RuntimeError("both inputs should have same dtype")
    size = input.shape[-1]
    product = input.reshape(-1, size) @ other.reshape(-1, size).t()
    return product.reshape(tuple(input.shape[:-1]) + tuple(other.shape[:-1]))


def vdot(input, other):
    """Σ input_i · other_i of two 1-d tensors (the conjugate of input, for complex ones)."""
    tensors("vdot", ("input", input), ("other", other))
    if input._data.ndim != 1 or other._data.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input._data.ndim}D and "
                           f"{other._data.ndim}D tensors")
    if input.dtype != other.dtype:
        raise RuntimeError("dot : expected both vectors to have same dtype, but found "
                           f"{input.dtype.scalar_name} and {other.dtype.scalar_name}")
    if input.shape != other.shape:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{input.shape[0]}] and src "
                           f"[{other.shape[0]}] to have the same number of elements, but got "
                           f"{input.shape[0]} and {other.shape[0]} elements respectively")
    support.refuse(input, "dot")
    return lao.Dot.apply(input, other)


def dist(input, other, p=2):
    """The p-norm of input - other."""
    tensors("dist", ("input", input), ("other", other))
    difference = input - other
    if difference._data.dtype.kind != "f":
        raise RuntimeError("norm(): input dtype should be either floating point or complex. Got "
                           f"{difference.dtype.scalar_name} instead.")
    return norm(difference, p)


# ----------------------------------------------------------------------------- covariance


def _check_weights(kind, w, observations, integral):
    if w.ndim > 1:
        raise RuntimeError(f"cov(): expected {kind} to have one or fewer dimensions but got "
                           f"{kind} with {w.ndim} dimensions")
    if integral != (w.dtype.kind in "iu"):  # fweights integral, aweights floating
        expected = "integral" if integral else "floating point"
        raise RuntimeError(f"cov(): expected {kind} to have {expected} dtype but got {kind} "
                           f"with {dtypes.from_numpy(w.dtype).scalar_name} dtype")
    if w.size != observations:
        raise RuntimeError(f"cov(): expected {kind} to have the same numel as there are "
                           f"observations in the input but got {w.size} != {observations}")
    if observations and bool((w < 0).any()):
        raise RuntimeError(f"cov(): {kind} cannot be negative")


def cov(input, *, correction: int = 1, fweights=None, aweights=None) -> Tensor:
    """Covariance of the rows (variables) over the columns (observations), optionally weighted:
    Σ w (x - avg)(y - avg) / (Σ w - correction · Σ w·a / Σ w)."""
    tensors("cov", ("input", input))
    if input._data.ndim > 2:
        raise RuntimeError("cov(): expected input to have two or fewer dimensions but got an "
                           f"input with {input._data.ndim} dimensions")
    support.refuse_with(input, support.BOOL, "cov(): bool dtype is not supported for input")
    x = input if input._data.ndim == 2 else input.reshape(1, -1)
    observations = x.shape[1]
    w = None
    if fweights is not None:
        _check_weights("fweights", fweights._data, observations, integral=True)
        w = fweights
    if aweights is not None:
        _check_weights("aweights", aweights._data, observations, integral=False)
        w = aweights if w is None else w * aweights
    if w is None:
        total = Tensor._make(get_array_module(x._data).asarray(observations, dtype="int64"))
    else:
        total = w.sum()
        if not bool(total._data != 0):
            raise RuntimeError("cov(): weights sum to zero, can't be normalized")
    average = (x if w is None else x * w).sum(1) / total
    if w is not None and correction != 0 and aweights is not None:
        norm = total - correction * (w * aweights).sum() / total
    else:
        norm = total - correction
    if bool(norm._data <= 0):
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the number of observations.", UserWarning, stacklevel=2)
        norm = norm * 0
    x = x - average.unsqueeze(1)
    return (x @ (x if w is None else x * w).t() / norm).squeeze()


def corrcoef(input) -> Tensor:
    """Pearson's correlation of the rows: cov / (σ_i σ_j), clipped to [-1, 1]."""
    tensors("corrcoef", ("input", input))
    if input._data.ndim > 2:
        raise RuntimeError("corrcoef(): expected input to have two or fewer dimensions but got "
                           f"an input with {input._data.ndim} dimensions")
    c = cov(input)
    if c._data.ndim == 0:  # one variable: 1, or NaN where its variance is 0, inf or NaN
        return c / c
    deviation = c.flatten()[::c.shape[0] + 1].sqrt()
    c = c / deviation.reshape(-1, 1)
    c = c / deviation.reshape(1, -1)
    return c.clamp(-1, 1)


_COMPUTE_MODES = {None: 25, "use_mm_for_euclid_dist_if_necessary": 25,
                  "use_mm_for_euclid_dist": 0, "donot_use_mm_for_euclid_dist": None}


def cdist(x1, x2, p: float = 2.0, compute_mode=None):
    """The p-norm distance between each row of x1 (..., P, M) and each row of x2 (..., R, M):
    (..., P, R). For p = 2 and more than 25 rows torch computes |a|² + |b|² - 2 a·b with a
    matrix product (faster, less exact near 0), and so does this."""
    tensors("cdist", ("x1", x1), ("x2", x2))
    if compute_mode not in _COMPUTE_MODES:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    for name, x in (("X1", x1), ("X2", x2)):
        if x._data.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: "
                               f"{x._data.ndim}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} "
                           f"X2: {x2.shape[-1]}")
    for name, x in (("X1", x1), ("X2", x2)):
        if not x.dtype.is_floating_point:
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: "
                               f"{x.dtype.scalar_name}")
    if p < 0 or p != p:
        raise RuntimeError("cdist only supports non-negative p values")
    _same_scalar_type(x1, x2)
    batch1, batch2 = x1.shape[:-2], x2.shape[:-2]
    for a, b in zip(reversed(batch1), reversed(batch2)):
        if a != b and a != 1 and b != 1:
            raise RuntimeError(f"The size of tensor a ({a}) must match the size of tensor b "
                               f"({b}) at non-singleton dimension 0")
    rows = _COMPUTE_MODES[compute_mode]
    by_mm = p == 2 and rows is not None and (x1.shape[-2] > rows or x2.shape[-2] > rows)
    if not by_mm:  # the pairwise kernel has no float16 version, the matrix product has
        support.refuse(x1, "cdist", frozenset({"float16"}))
    return so.Cdist.apply(x1, x2, p=float(p), by_mm=by_mm)


METHODS = {"kron": kron, "inner": inner, "vdot": vdot, "dist": dist,
           "cov": cov, "corrcoef": corrcoef}
