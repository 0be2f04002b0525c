"""Reductions: many elements in, fewer out. `dims` is a tuple of non-negative axes or None (all).

A reduction's backward spreads the output gradient back over the elements that were reduced:
`expand_back` puts back the reduced axes (size 1) and broadcasts to the input's shape.
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
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


