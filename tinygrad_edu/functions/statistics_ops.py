"""Primitives of the statistics functions (statistics.py, searching.py, products.py): the
value-selecting reductions and scans (median, kthvalue, mode, cummax), logcumsumexp, cdist, and
the ops torch gives no derivative (unique, histogram, bincount).

Selecting ops find their indices on raw arrays, then `Select` picks the values and sends each
output gradient back to the element it came from, as torch's value-selecting backward does.
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..backend import get_array_module, zeros
from ..ops._broadcast import unbroadcast
from ..ops.reduce import expand_back
from .reduction_ops import _evenly_distribute, p_norm_grad

# ----------------------------------------------------------------------------- scans


def inclusive_scan(combine, arrays: tuple, axis: int) -> tuple:
    """Running `combine` along axis (Hillis-Steele: log2(n) shifted steps, the same on NumPy
    and CuPy); `combine(earlier, later)` takes and returns tuples of arrays, and must be
    associative."""
    arrays = tuple(a.copy() for a in arrays)
    n = arrays[0].shape[axis]
    shift = 1
    while shift < n:
        later = (slice(None),) * axis + (slice(shift, None),)
        earlier = (slice(None),) * axis + (slice(None, n - shift),)
        merged = combine(tuple(a[earlier] for a in arrays), tuple(a[later] for a in arrays))
        for a, m in zip(arrays, merged):
            a[later] = m
        shift *= 2
    return arrays


def running_extreme(x, axis: int, largest: bool):
    """(values, indices) of cummax / cummin: a later element takes over when it is a NaN, or
    is >= (<=) the running value while that is not NaN — torch's rule, ties to the later."""
    xp = get_array_module(x)
    is_nan = xp.isnan if x.dtype.kind == "f" else (lambda a: xp.zeros(a.shape, dtype=bool))

    def combine(earlier, later):
        (a, i), (b, j) = earlier, later
        better = (b >= a) if largest else (b <= a)
        takes = is_nan(b) | (~is_nan(a) & better)
        return xp.where(takes, b, a), xp.where(takes, j, i)

    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    index = xp.broadcast_to(xp.arange(x.shape[axis]).reshape(shape), x.shape)
    return inclusive_scan(combine, (x, index.astype(xp.int64)), axis)


# ----------------------------------------------------------------------------- selection


class Select(Primitive):
    """y = x at `indices` along dim (one index per slice for a reduction, kept as a size-1 dim,
    or one per element for a scan);  dx = dy added back at those indices, 0 elsewhere"""

    @staticmethod
    def forward(ctx, x, *, dim, indices, keepdim=True):
        ctx.shape, ctx.dim, ctx.indices, ctx.keepdim = x.shape, dim, indices, keepdim
        if x.ndim == 0:
            return x.copy()
        y = get_array_module(x).take_along_axis(x, indices, axis=dim)
        return y if keepdim else y.squeeze(dim)

    @staticmethod
    def backward(ctx, grad_output):
        if len(ctx.shape) == 0:
            return grad_output
        if not ctx.keepdim:
            grad_output = grad_output.unsqueeze(ctx.dim)
        base = grad_output._make(zeros(ctx.shape, grad_output._data.dtype, grad_output.device))
        return base.scatter_add(ctx.dim, grad_output._make(ctx.indices), grad_output)


def _selecting(name: str, node_name: str):
    """A Select named as torch names the op's node (MedianBackward1, CummaxBackward0, ...)."""
    return type(name, (Select,), {"node_name": node_name, "__doc__": Select.__doc__})


Median = _selecting("Median", "MedianBackward1")
Nanmedian = _selecting("Nanmedian", "NanmedianBackward1")
Kthvalue = _selecting("Kthvalue", "KthvalueBackward0")
Mode = _selecting("Mode", "ModeBackward0")
Cummax = _selecting("Cummax", "CummaxBackward0")
Cummin = _selecting("Cummin", "CumminBackward0")


class MedianAll(Primitive):
    """y = the lower median of all elements (NaN if any);  dx = dy / k at each of the k
    elements equal to y (the NaNs, when y is NaN)"""

    node_name = "MedianBackward0"

    @staticmethod
    def forward(ctx, x, *, value):
        ctx.save_for_backward(x, value)
        return value

    backward = staticmethod(_evenly_distribute)


class NanmedianAll(MedianAll):
    """y = the lower median of the elements that are not NaN;  dx as for median"""

    node_name = "NanmedianBackward0"


class Nansum(Primitive):
    """y = Σ x over dims, NaNs counted as 0;  dx = dy * (x is not NaN)   (so NaN · 0 stays NaN)"""

    @staticmethod
    def forward(ctx, x, *, dims=None, keepdim=False, dtype=None):
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        xp = get_array_module(x)
        return xp.where(xp.isnan(x), 0, x).sum(axis=dims, keepdims=keepdim, dtype=dtype)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        grad = expand_back(grad_output, x.shape, ctx.dims, ctx.keepdim)
        return grad * x.isnan().logical_not()


# ----------------------------------------------------------------------------- logcumsumexp


class LogCumSumExp(Primitive):
    """y_i = log Σ_{j<=i} exp(x_j) along dim;  dx_j = Σ_{i>=j} dy_i exp(x_j - y_i), summed in
    log space for the positive and the negative dy apart (torch's stable formula)"""

    node_name = "LogcumsumexpBackward0"

    @staticmethod
    def forward(ctx, x, *, dim):
        xp = get_array_module(x)
        y, = inclusive_scan(lambda a, b: (xp.logaddexp(a[0], b[0]),), (x,), dim)
        ctx.save_for_backward(x, y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        dim = ctx.dim
        lowest = float(get_array_module(x._data).finfo(x._data.dtype).min)
        log_abs = grad_output.abs().log()
        positive = log_abs.masked_fill(grad_output <= 0, lowest)
        negative = log_abs.masked_fill(grad_output >= 0, lowest)

        def reversed_logcumsumexp(t):
            return LogCumSumExp.apply(t.flip(dim), dim=dim).flip(dim)
        return (reversed_logcumsumexp(positive - y) + x).exp() - \
            (reversed_logcumsumexp(negative - y) + x).exp()


# ----------------------------------------------------------------------------- distances


def _cdist_pairs(xp, x1, x2, p, by_mm):
    """|x1_i - x2_j|_p for every pair of rows: (..., P, M) and (..., R, M) -> (..., P, R);
    by_mm: √(|x1_i|² + |x2_j|² - 2 x1_i·x2_j), torch's faster way for p = 2."""
    if by_mm:
        squares = (x1 * x1).sum(-1)[..., :, None] + (x2 * x2).sum(-1)[..., None, :]
        return xp.sqrt(xp.maximum(squares - 2 * (x1 @ xp.swapaxes(x2, -1, -2)), 0))
    diff = xp.abs(x1[..., :, None, :] - x2[..., None, :, :])
    if p == 0:
        return (diff != 0).sum(-1).astype(x1.dtype)
    if p == 1:
        return diff.sum(-1)
    if p == 2:
        return xp.sqrt((diff * diff).sum(-1))
    if p == float("inf"):
        return diff.max(-1) if diff.shape[-1] else diff.sum(-1)
    return (diff ** p).sum(-1) ** (1.0 / p)


class Cdist(Primitive):
    """d_ij = |x1_i - x2_j|_p;  dx1_i = Σ_j dd_ij g(x1_i - x2_j),  dx2_j = -Σ_i dd_ij g(...)
    with g(v) = sign(v) |v|^(p-1) / d^(p-1) (0 where d = 0, or v = 0 for p < 1);
    p = 1: g = sign(v);  p = inf: g = sign(v) where |v| = d (every tie);  p = 0: g = 0"""

    @staticmethod
    def forward(ctx, x1, x2, *, p, by_mm=False):
        y = _cdist_pairs(get_array_module(x1), x1, x2, p, by_mm)
        ctx.save_for_backward(x1, x2, y)
        ctx.p, ctx.shapes = p, (x1.shape, x2.shape)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x1, x2, y = ctx.saved_tensors
        p = ctx.p
        diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
        grad, dist = grad_output.unsqueeze(-1), y.unsqueeze(-1)
        if p == 0:
            pair = diff * 0
        elif p == 1:
            pair = grad * diff.sign()
        elif p == float("inf"):
            pair = grad * diff.sign() * (diff.abs() == dist)
        else:
            pair = p_norm_grad(diff, (grad / dist ** (p - 1)).masked_fill(dist == 0, 0), p)
        return unbroadcast(pair.sum(-2), ctx.shapes[0]), unbroadcast(-pair.sum(-3), ctx.shapes[1])


# ----------------------------------------------------------------------------- no derivative


class NoDerivative(Primitive):
    """y computed outside (unique, histogram, bincount with weights): recorded so that y
    requires grad as in torch, whose backward for these raises"""

    node_name = "NotImplemented"
    message = (RuntimeError, "derivative for aten::{} is not implemented")

    @staticmethod
    def forward(ctx, x, *, value, name):
        ctx.op_name = name
        return value

    @staticmethod
    def backward(ctx, grad_output):
        error, message = ctx._forward_cls.message
        raise error(message.format(ctx.op_name))


class Unique2(NoDerivative):
    node_name = "Unique2Backward0"
    message = (NotImplementedError, "the derivative for '{}' is not implemented.")


class UniqueDim(Unique2):
    node_name = "UniqueDimBackward0"


class UniqueConsecutive(Unique2):
    node_name = "UniqueConsecutiveBackward0"
