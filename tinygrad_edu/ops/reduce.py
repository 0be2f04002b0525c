"""Reductions: many elements in, fewer out. `dims` is a tuple of non-negative axes or None (all).

A reduction's backward spreads the output gradient back over the elements that were reduced:
`expand_back` puts back the reduced axes (size 1) and broadcasts to the input's shape.
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..backend import get_array_module, zeros
from .movement import Expand, View


def expand_back(grad, shape, dims, keepdim):
    """Undo a reduction's shape: re-insert the reduced axes as size 1, then broadcast.
    (The primitives directly: these shapes are valid by construction, no argument parsing.)"""
    if not keepdim and dims is not None:  # a full reduction's 0-d result broadcasts as it is
        grad = View.apply(grad, shape=_kept_shape(shape, dims))
    return Expand.apply(grad, shape=shape)


def _kept_shape(shape, dims):
    if dims is None:
        return (1,) * len(shape)
    return tuple(1 if axis in dims else size for axis, size in enumerate(shape))


def _count(shape, dims) -> int:
    count = 1
    for axis, size in enumerate(shape):
        if dims is None or axis in dims:
            count *= size
    return count


class Sum(Primitive):
    """y = Σ x over dims;  dx = dy broadcast back over the summed axes"""

    @staticmethod
    def forward(ctx, x, *, dims=None, keepdim=False, dtype=None):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        return x.sum(axis=dims, keepdims=keepdim, dtype=dtype)

    @staticmethod
    def backward(ctx, grad_output):
        return expand_back(grad_output, ctx.shape, ctx.dims, ctx.keepdim)


class SumDim(Sum):
    """y = Σ x over the given dims;  dx = dy broadcast back (torch names it SumBackward1)"""

    node_name = "SumBackward1"


class Mean(Primitive):
    """y = Σ x / n over dims;  dx = dy / n broadcast back  (fused: one op instead of sum and div)"""

    @staticmethod
    def forward(ctx, x, *, dims=None, keepdim=False):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        return x.mean(axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        count = _count(ctx.shape, ctx.dims)
        return expand_back(grad_output / count, ctx.shape, ctx.dims, ctx.keepdim)


class MeanDim(Mean):
    """y = Σ x / n over the given dims;  dx = dy / n broadcast back (torch: MeanBackward1)"""

    node_name = "MeanBackward1"


class Amax(Primitive):
    """y = max of x over dims;  dx = dy / k at each of the k maximal elements (ties share)"""

    @staticmethod
    def forward(ctx, x, *, dims=None, keepdim=False, largest=True):
        y = x.max(axis=dims, keepdims=keepdim) if largest else x.min(axis=dims, keepdims=keepdim)
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        shape, dims, keepdim = ctx.shape, ctx.dims, ctx.keepdim
        is_extreme = x == expand_back(y, shape, dims, keepdim)
        count = is_extreme.sum(dim=dims, keepdim=True)
        return expand_back(grad_output, shape, dims, keepdim) * is_extreme / count


class MaxAll(Amax):
    """y = max(x) over everything;  dx = dy / k at each of the k maximal elements"""

    node_name = "MaxBackward1"


class MinAll(Amax):
    """y = min(x) over everything;  dx = dy / k at each of the k minimal elements"""

    node_name = "MinBackward1"


class Amin(Amax):
    """y = min of x over dims;  dx = dy / k at each of the k minimal elements"""


class MaxDim(Primitive):
    """(values, indices) = max of x along dim;  dx = dy at the returned index, 0 elsewhere"""

    node_name = "MaxBackward0"

    @staticmethod
    def forward(ctx, x, *, dim, keepdim=False, largest=True):
        xp = get_array_module(x)
        if x.ndim == 0:
            indices = xp.zeros((), dtype=xp.int64)
            values = x.copy()
        else:
            indices = x.argmax(axis=dim) if largest else x.argmin(axis=dim)
            indices = xp.expand_dims(indices, dim)
            values = xp.take_along_axis(x, indices, axis=dim)
            if not keepdim:
                values, indices = values.squeeze(dim), indices.squeeze(dim)
        ctx.shape, ctx.dim, ctx.keepdim = x.shape, dim, keepdim
        indices = indices.astype(xp.int64, copy=False)
        ctx.save_for_backward(indices)
        return values, indices

    @staticmethod
    def backward(ctx, grad_output, _grad_indices=None):
        index, = ctx.saved_tensors
        if len(ctx.shape) == 0:
            return grad_output
        if not ctx.keepdim:
            grad_output, index = grad_output.unsqueeze(ctx.dim), index.unsqueeze(ctx.dim)
        base = grad_output._make(zeros(ctx.shape, grad_output._data.dtype, grad_output.device))
        return base.scatter_add(ctx.dim, index, grad_output)


class MinDim(MaxDim):
    """(values, indices) = min of x along dim;  dx = dy at the returned index, 0 elsewhere"""

    node_name = "MinBackward0"


