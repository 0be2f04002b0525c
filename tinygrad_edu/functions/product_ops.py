"""The primitives of the fused products and the small vector ops of torch.linalg:
addmv, addr, addbmm, baddbmm (β·input + α·product, one op each, like addmm), the cross product
and the diagonal. The functions that check arguments and call them are in products.py.
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..backend import get_array_module


class _AddProduct(Primitive):
    """out = β·input + α·product(x, y): the shared forward and backward of the four fused ops;
    each subclass says what its product is and what the product's two gradients are."""

    @staticmethod
    def product(x, y):
        raise NotImplementedError

    @staticmethod
    def product_grads(grad, x, y, needs_x: bool, needs_y: bool):
        raise NotImplementedError

    @classmethod
    def forward(cls, ctx, bias, x, y, *, beta=1, alpha=1):
        needs = ctx.needs_input_grad
        ctx.save_for_backward(x if needs[2] else None, y if needs[1] else None)
        ctx.beta, ctx.alpha = beta, alpha
        out = cls.product(x, y)
        if out.dtype.kind == "b":  # bool tensors: α and β act as truth values (torch's addr)
            out = out & bool(alpha)
            return out | bias if beta else out
        if alpha != 1:
            out = out * alpha
        if beta == 0:  # β = 0 ignores the input, NaN and inf included
            return out
        return out + (bias if beta == 1 else beta * bias)

    @classmethod
    def backward(cls, ctx, grad_output):
        x, y = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_bias = grad_output * ctx.beta if needs[0] else None
        grad = grad_output if ctx.alpha == 1 else grad_output * ctx.alpha
        grad_x, grad_y = cls.product_grads(grad, x, y, needs[1], needs[2])
        return grad_bias, grad_x, grad_y


class Addmv(_AddProduct):
    """out = β·b + α·(A v);  db = β·dout,  dA = α·dout vᵀ,  dv = α·Aᵀ dout"""

    @staticmethod
    def product(x, y):
        return x @ y

    @staticmethod
    def product_grads(grad, x, y, needs_x, needs_y):
        return (grad.unsqueeze(-1) * y if needs_x else None,
                x.mT @ grad if needs_y else None)


class Addr(_AddProduct):
    """out = β·M + α·(u vᵀ);  dM = β·dout,  du = α·dout v,  dv = α·doutᵀ u"""

    @staticmethod
    def product(x, y):
        return x[:, None] * y[None, :]

    @staticmethod
    def product_grads(grad, x, y, needs_x, needs_y):
        return grad @ y if needs_x else None, grad.mT @ x if needs_y else None


class Baddbmm(_AddProduct):
    """out[i] = β·M[i] + α·(B1[i] @ B2[i]);  dM = β·dout,  dB1 = α·dout B2ᵀ,  dB2 = α·B1ᵀ dout"""

    @staticmethod
    def product(x, y):
        return x @ y

    @staticmethod
    def product_grads(grad, x, y, needs_x, needs_y):
        return grad @ y.mT if needs_x else None, x.mT @ grad if needs_y else None


class Addbmm(Baddbmm):
    """out = β·M + α·Σᵢ B1[i] @ B2[i];  dM = β·dout,  dB1[i] = α·dout B2[i]ᵀ,
    dB2[i] = α·B1[i]ᵀ dout   (dout is the same for every i)"""

    @staticmethod
    def product(x, y):
        return (x @ y).sum(axis=0, dtype=x.dtype)  # NumPy would widen int32 and uint8

    @staticmethod
    def product_grads(grad, x, y, needs_x, needs_y):
        return Baddbmm.product_grads(grad.unsqueeze(0), x, y, needs_x, needs_y)


class LinalgCross(Primitive):
    """c = a × b along dim (3 elements);  da = b × dc,  db = dc × a"""

    @staticmethod
    def forward(ctx, a, b, *, dim=-1):
        needs = ctx.needs_input_grad
        ctx.save_for_backward(a if needs[1] else None, b if needs[0] else None)
        ctx.dim = dim
        return get_array_module(a).cross(a, b, axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        grad_a = LinalgCross.apply(b, grad_output, dim=ctx.dim) if b is not None else None
        grad_b = LinalgCross.apply(grad_output, a, dim=ctx.dim) if a is not None else None
        return grad_a, grad_b


class Diagonal(Primitive):
    """y = the diagonal (shifted by offset) of the matrices on dims (dim1, dim2), as a last dim;
    dx = dy written back onto that diagonal, zeros elsewhere"""

    @staticmethod
    def forward(ctx, x, *, offset=0, dim1=-2, dim2=-1):
        ctx.shape, ctx.options = x.shape, {"offset": offset, "dim1": dim1, "dim2": dim2}
        return get_array_module(x).diagonal(x, offset, dim1, dim2).copy()

    @staticmethod
    def backward(ctx, grad_output):
        return DiagonalScatter.apply(grad_output, shape=ctx.shape, **ctx.options)


class DiagonalScatter(Primitive):
    """x = zeros with the diagonal of Diagonal set to y (Diagonal's adjoint);  dy = diagonal(dx)"""

    node_name = "DiagonalBackwardBackward0"

    @staticmethod
    def forward(ctx, y, *, shape, offset, dim1, dim2):
        ctx.options = {"offset": offset, "dim1": dim1, "dim2": dim2}
        xp = get_array_module(y)
        out = xp.zeros(shape, dtype=y.dtype)
        matrices = xp.moveaxis(out, (dim1, dim2), (-2, -1))  # a view: writes land in `out`
        count = y.shape[-1]
        rows = xp.arange(count) + max(-offset, 0)
        matrices[..., rows, rows + offset] = y
        return out

    @staticmethod
    def backward(ctx, grad_output):
        return Diagonal.apply(grad_output, **ctx.options)
