"""Linear-algebra primitives of the torch surface beyond the core's Mm and Matmul
(ops/linalg.py): mv and dot under their own node names, the fused addmm, and the singular
values (for the nuclear norm).
The functions that check arguments and call them are in linalg.py.
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..autograd.raw_backward import once_differentiable
from ..backend import get_array_module
from ..ops.linalg import Matmul


class Mv(Matmul):
    """y = A @ v;  dA = dy vᵀ,  dv = Aᵀ dy"""


class Dot(Matmul):
    """y = a · b;  da = dy * b,  db = dy * a"""


class Addmm(Primitive):
    """C = β·bias + α·(A @ B);  dbias = β·dC (summed over broadcast rows),
    dA = α·dC @ Bᵀ,  dB = α·Aᵀ @ dC   (nn.Linear's op: one fused matmul-and-add)"""

    @staticmethod
    def forward(ctx, bias, a, b, *, beta=1, alpha=1):
        needs = ctx.needs_input_grad
        ctx.save_for_backward(a if needs[2] else None, b if needs[1] else None)
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


class Svdvals(Primitive):
    """σ = the singular values of A = U diag(σ) Vᴴ (over the last two axes);  dA = U diag(dσ) Vᴴ"""

    node_name = "LinalgSvdBackward0"

    @staticmethod
    def forward(ctx, a):
        u, s, vh = get_array_module(a).linalg.svd(a, full_matrices=False)
        ctx.save_for_backward(u, vh)
        return s

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        u, vh = ctx.saved_tensors
        return (u * grad_output.unsqueeze(-2)) @ vh
