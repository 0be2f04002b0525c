"""Matrix products. For C = A @ B the chain rule gives dA = dC @ Bᵀ and dB = Aᵀ @ dC; batch
dimensions that were broadcast are summed away by the engine."""
from __future__ import annotations

from ..autograd.primitive import Primitive


class Mm(Primitive):
    """C = A @ B (matrices);  dA = dC @ Bᵀ,  dB = Aᵀ @ dC"""

    @staticmethod
    def forward(ctx, a, b):
        needs = ctx.needs_input_grad  # dA needs B and dB needs A: keep only what is read
        ctx.save_for_backward(a if needs[1] else None, b if needs[0] else None)
        return a @ b

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        da = grad_output @ b.mT if ctx.needs_input_grad[0] else None
        db = a.mT @ grad_output if ctx.needs_input_grad[1] else None
        return da, db


class Bmm(Mm):
    """C[i] = A[i] @ B[i] (batches of matrices);  dA = dC @ Bᵀ,  dB = Aᵀ @ dC per batch"""


class Matmul(Primitive):
    """C = A @ B with torch's rank rules (1-d operands are a row/column, batches broadcast);
    dA = dC @ Bᵀ,  dB = Aᵀ @ dC, written with the 1-d operand as a matrix"""

    @staticmethod
    def forward(ctx, a, b):
        needs = ctx.needs_input_grad
        ctx.save_for_backward(a if needs[1] else None, b if needs[0] else None)
        ctx.ndims = (a.ndim, b.ndim)
        return a @ b

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors  # each is None when the other needs no gradient
        a_ndim, b_ndim = ctx.ndims
        g = grad_output
        da = db = None
        if a_ndim == 1 and b_ndim == 1:          # dot product: g is a scalar
            da = g * b if b is not None else None
            db = g * a if a is not None else None
        elif a_ndim == 1:                        # (n) @ (..., n, m) -> (..., m)
            da = (g.unsqueeze(-2) @ b.mT).squeeze(-2) if b is not None else None
            db = a.unsqueeze(-1) @ g.unsqueeze(-2) if a is not None else None
        elif b_ndim == 1:                        # (..., k, n) @ (n) -> (..., k)
            da = g.unsqueeze(-1) @ b.unsqueeze(-2) if b is not None else None
            db = (a.mT @ g.unsqueeze(-1)).squeeze(-1) if a is not None else None
        else:
            da = g @ b.mT if b is not None else None
            db = a.mT @ g if a is not None else None
        if da is not None and da.ndim > a_ndim:  # broadcast batch axes of a 1-d operand
            da = da.sum(dim=tuple(range(da.ndim - a_ndim)))
        if db is not None and db.ndim > b_ndim:
            db = db.sum(dim=tuple(range(db.ndim - b_ndim)))
        return da, db


