"""The two views of shape_more.py that no composition gives: a diagonal and sliding windows.

Both are strided views of the input's memory (writing into them writes into the input, as in
torch); their gradients put dy back where each element came from, adding where windows overlap.
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..backend import get_array_module
from ..ops.indexing import IndexToZeros


def _strided(x, start: tuple, shape: tuple, strides: tuple):
    """The writable view of x beginning at x[start] with `shape` and byte `strides` (the
    strides come from x's own, so every element it reaches lies inside x)."""
    corner = x[tuple(slice(s, None) for s in start)]
    return get_array_module(x).lib.stride_tricks.as_strided(corner, shape, strides)


def diagonal_length(shape: tuple, offset: int, dim1: int, dim2: int) -> int:
    if offset >= 0:
        return max(0, min(shape[dim1], shape[dim2] - offset))
    return max(0, min(shape[dim1] + offset, shape[dim2]))


def diagonal_key(xp, shape: tuple, offset: int, dim1: int, dim2: int) -> tuple:
    """The NumPy key of the diagonal (integer arrays on dim1 and dim2), and the axis where
    x[key] puts the diagonal: beside the other axes where dim1 and dim2 touch, else first."""
    length = diagonal_length(shape, offset, dim1, dim2)
    steps = xp.arange(length, dtype=xp.int64)
    key = [slice(None)] * len(shape)
    key[dim1], key[dim2] = steps + max(-offset, 0), steps + max(offset, 0)
    return tuple(key), min(dim1, dim2) if abs(dim1 - dim2) == 1 else 0


class Diagonal(Primitive):
    """y[..., k] = x[.., k + max(-offset, 0) (at dim1), .., k + max(offset, 0) (at dim2), ..]
    (a view);  dx = zeros with its diagonal = dy"""

    is_view = True

    @staticmethod
    def forward(ctx, x, *, offset, dim1, dim2):
        ctx.shape, ctx.options = x.shape, (offset, dim1, dim2)
        length = diagonal_length(x.shape, offset, dim1, dim2)
        start = [0] * x.ndim
        if length:
            start[dim1], start[dim2] = max(-offset, 0), max(offset, 0)
        kept = [a for a in range(x.ndim) if a not in (dim1, dim2)]
        return _strided(x, tuple(start), tuple(x.shape[a] for a in kept) + (length,),
                        tuple(x.strides[a] for a in kept) + (x.strides[dim1] + x.strides[dim2],))

    @staticmethod
    def backward(ctx, grad_output):
        key, axis = diagonal_key(get_array_module(grad_output._data), ctx.shape, *ctx.options)
        # the diagonal's places are distinct: accumulate=True only picks AdvancedIndex as the
        # backward of this backward (a copy, not a view)
        return IndexToZeros.apply(grad_output.movedim(-1, axis), key=key, shape=ctx.shape,
                                  accumulate=True)


class Unfold(Primitive):
    """y[..., w, ..., j] = x[..., w * step + j, ...]: the windows of `size` along dim (a view);
    dx = zeros with every window's dy added back where it came from"""

    is_view = True

    @staticmethod
    def forward(ctx, x, *, dimension, size, step):
        ctx.shape, ctx.options = x.shape, (dimension, size, step)
        count = (x.shape[dimension] - size) // step + 1
        shape = x.shape[:dimension] + (count,) + x.shape[dimension + 1:] + (size,)
        strides = list(x.strides) + [x.strides[dimension]]
        strides[dimension] *= step
        return _strided(x, (0,) * x.ndim, shape, tuple(strides))

    @staticmethod
    def backward(ctx, grad_output):
        dimension, size, step = ctx.options
        xp = get_array_module(grad_output._data)
        count = grad_output.shape[dimension]
        windows = xp.arange(count, dtype=xp.int64)[:, None] * step + xp.arange(size)[None, :]
        key = (slice(None),) * dimension + (windows,)  # x[key]: (.., count, size, ..)
        return IndexToZeros.apply(grad_output.movedim(-1, dimension + 1), key=key,
                                  shape=ctx.shape, accumulate=True)
