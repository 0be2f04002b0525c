"""Embedding: a lookup table. Row i of the weight is the vector of token i.

    y = W[indices];   dW = zeros with dW[indices] += dy   (a token seen twice gets both)
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..backend import get_array_module
from .indexing import IndexToZeros


class Embedding(Primitive):
    """y = W[indices];  dW[i] = Σ of dy over the positions holding index i
    (none for padding_idx; divided by i's count with scale_grad_by_freq)"""

    @staticmethod
    def forward(ctx, weight, *, indices, padding_idx, scale_grad_by_freq):
        ctx.indices, ctx.weight_shape = indices, weight.shape
        ctx.padding_idx, ctx.scale_grad_by_freq = padding_idx, scale_grad_by_freq
        return weight[indices]

    @staticmethod
    def backward(ctx, grad_output):
        from ..tensor import Tensor  # noqa: PLC0415 - tensor.py imports the ops
        indices = ctx.indices.reshape(-1)
        rows = grad_output.reshape(indices.shape[0], ctx.weight_shape[1])
        if ctx.padding_idx is not None or ctx.scale_grad_by_freq:
            xp = get_array_module(indices)
            factor = xp.ones(indices.shape, dtype=grad_output._data.dtype)
            if ctx.scale_grad_by_freq:
                counts = xp.bincount(indices, minlength=ctx.weight_shape[0])
                factor = factor / counts[indices]
            if ctx.padding_idx is not None:
                factor = factor * (indices != ctx.padding_idx)
            rows = rows * Tensor._make(factor[:, None].astype(grad_output._data.dtype))
        return IndexToZeros.apply(rows, key=(indices,), shape=ctx.weight_shape, accumulate=True)
