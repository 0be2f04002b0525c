"""Matrix products. For C = A @ B the chain rule gives dA = dC @ Bᵀ and dB = Aᵀ @ dC; batch
dimensions that were broadcast are summed away by the engine."""
from __future__ import annotations

from ..autograd.function import Primitive


class Mm(Primitive):
    """C = A @ B (matrices);  dA = dC @ Bᵀ,  dB = Aᵀ @ dC"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
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
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        g = grad_output
        da = db = None
        if a.ndim == 1 and b.ndim == 1:          # dot product: g is a scalar
            da, db = g * b, g * a
        elif a.ndim == 1:                        # (n) @ (..., n, m) -> (..., m)
            da = (g.unsqueeze(-2) @ b.mT).squeeze(-2)
            db = a.unsqueeze(-1) @ g.unsqueeze(-2)
        elif b.ndim == 1:                        # (..., k, n) @ (n) -> (..., k)
            da = g.unsqueeze(-1) @ b.unsqueeze(-2)
            db = (a.mT @ g.unsqueeze(-1)).squeeze(-1)
        else:
            da = g @ b.mT if ctx.needs_input_grad[0] else None
            db = a.mT @ g if ctx.needs_input_grad[1] else None
        if da is not None and da.ndim > a.ndim:  # broadcast batch axes of a 1-d operand
            da = da.sum(dim=tuple(range(da.ndim - a.ndim)))
        if db is not None and db.ndim > b.ndim:
            db = db.sum(dim=tuple(range(db.ndim - b.ndim)))
        return da, db


class Mv(Matmul):
    """y = A @ v;  dA = dy vᵀ,  dv = Aᵀ dy"""


class Dot(Matmul):
    """y = a · b;  da = dy * b,  db = dy * a"""


class Addmm(Primitive):
    """C = β·bias + α·(A @ B);  dbias = β·dC (summed over broadcast rows),
    dA = α·dC @ Bᵀ,  dB = α·Aᵀ @ dC   (nn.Linear's op: one fused matmul-and-add)"""

    @staticmethod
    def forward(ctx, bias, a, b, *, beta=1, alpha=1):
        ctx.save_for_backward(a, b)
        ctx.beta, ctx.alpha = beta, alpha
        out = a @ b
        if alpha != 1:
            out *= alpha
        if beta == 0:
            return out
        out += bias if beta == 1 else beta * bias  # in place on the fresh product: no copy
        return out

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        alpha, beta = ctx.alpha, ctx.beta
        g = grad_output if alpha == 1 else grad_output * alpha
        dbias = None
        if ctx.needs_input_grad[0]:
            dbias = grad_output if beta == 1 else grad_output * beta
        da = g @ b.mT if ctx.needs_input_grad[1] else None
        db = a.mT @ g if ctx.needs_input_grad[2] else None
        return dbias, da, db
