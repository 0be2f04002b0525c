"""Indexing primitives of the torch surface beyond the core's (ops/indexing.py).
The functions that check arguments and call them are in indexing.py.
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..backend import get_array_module
from ..ops.indexing import along_axis_key


class Scatter(Primitive):
    """y = x with y[index[i][j]][j] = src[i][j];  dx = dy with the written places zeroed,
    dsrc = dy gathered at index"""

    @staticmethod
    def forward(ctx, x, src, *, dim, index):
        ctx.dim = dim
        ctx.save_for_backward(index)
        y = x.copy()
        if hasattr(src, "shape") and src.ndim:
            src = src[tuple(slice(0, size) for size in index.shape)]
        y[along_axis_key(index, dim)] = src
        return y

    @staticmethod
    def backward(ctx, grad_output):
        index, = ctx.saved_tensors
        dx = grad_output.scatter(ctx.dim, index, 0.0) if ctx.needs_input_grad[0] else None
        dsrc = grad_output.gather(ctx.dim, index) if ctx.needs_input_grad[1] else None
        return dx, dsrc


class ScatterReduce(Primitive):
    """y = x with y[index[i][j]][j] (+= or *=) src[i][j] (scatter's deprecated `reduce=`);
    no derivative, as in torch"""

    node_name = "NotImplemented"

    @staticmethod
    def forward(ctx, x, src, *, dim, index, reduce):
        xp = get_array_module(x)
        y = x.copy()
        if hasattr(src, "shape") and src.ndim:
            src = src[tuple(slice(0, size) for size in index.shape)]
        else:
            src = xp.full(index.shape, src, dtype=x.dtype)
        (xp.add if reduce == "add" else xp.multiply).at(y, along_axis_key(index, dim), src)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        raise RuntimeError("derivative for aten::scatter is not implemented")
