"""Elementwise primitives: y = f(x) or z = f(x, y), applied to every element.

Each backward is the chain rule for one element; broadcasting is undone by the engine (the
adjoint of broadcasting is summation), so these formulas never mention shapes.
Scalars (Python numbers) may stand for either operand; they receive no gradient.
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..backend import get_array_module


def _xp(x):
    return get_array_module(x)


# ----------------------------------------------------------------------------- arithmetic

class Add(Primitive):
    """z = x + y;  dx = dz,  dy = dz"""

    @staticmethod
    def forward(ctx, x, y):
        return x + y

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, grad_output


class Sub(Primitive):
    """z = x - y;  dx = dz,  dy = -dz"""

    @staticmethod
    def forward(ctx, x, y):
        return x - y

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, -grad_output if ctx.needs_input_grad[1] else None


class RSub(Primitive):
    """z = c - x (c a number);  dx = -dz"""

    node_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, x, *, other):
        return other - x

    @staticmethod
    def backward(ctx, grad_output):
        return -grad_output


class Mul(Primitive):
    """z = x * y;  dx = dz * y,  dy = dz * x"""

    @staticmethod
    def forward(ctx, x, y):
        needs = ctx.needs_input_grad  # keep only what a gradient will read, as torch does
        ctx.save_for_backward(x if needs[1] else None, y if needs[0] else None)
        return x * y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        dx = grad_output * y if ctx.needs_input_grad[0] else None
        dy = grad_output * x if ctx.needs_input_grad[1] else None
        return dx, dy


class Div(Primitive):
    """z = x / y;  dx = dz / y,  dy = -dz * x / y²"""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x if ctx.needs_input_grad[1] else None, y)
        return x / y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        dx = grad_output / y if ctx.needs_input_grad[0] else None
        dy = -grad_output * x / (y * y) if ctx.needs_input_grad[1] else None
        return dx, dy


class Neg(Primitive):
    """y = -x;  dx = -dy"""

    @staticmethod
    def forward(ctx, x):
        return -x

    @staticmethod
    def backward(ctx, grad_output):
        return -grad_output


class PowScalar(Primitive):
    """z = x ** c (c a number);  dx = dz * c * x**(c-1)   (0 when c == 0)"""

    node_name = "PowBackward0"

    @staticmethod
    def forward(ctx, x, *, exponent):
        ctx.save_for_backward(x)
        ctx.exponent = exponent
        if exponent == 2:
            return x * x  # exact and faster than the general power
        if exponent == -0.5:  # torch's kernel: 1/√x, so (-0)^-½ = -inf and (-inf)^-½ = NaN
            return 1 / _xp(x).sqrt(x)
        return x ** exponent

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        c = ctx.exponent
        if c == 0:
            return grad_output * 0
        if c == 2:
            return grad_output * x * 2
        return grad_output * c * x ** (c - 1)


# ----------------------------------------------------------------------------- exp, log, roots

class Exp(Primitive):
    """y = exp(x);  dx = dy * y"""

    @staticmethod
    def forward(ctx, x):
        y = _xp(x).exp(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return grad_output * y


class Log(Primitive):
    """y = log(x);  dx = dy / x"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _xp(x).log(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output / x


class Sqrt(Primitive):
    """y = √x;  dx = dy / (2y)"""

    @staticmethod
    def forward(ctx, x):
        y = _xp(x).sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return grad_output / (y * 2)


# ----------------------------------------------------------------------------- tanh, sigmoid

class Tanh(Primitive):
    """y = tanh(x);  dx = dy * (1 - y²)"""

    @staticmethod
    def forward(ctx, x):
        y = _xp(x).tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return grad_output * (1 - y * y)


class Sigmoid(Primitive):
    """y = 1 / (1 + exp(-x));  dx = dy * y * (1 - y)"""

    @staticmethod
    def forward(ctx, x):
        xp = _xp(x)
        # exp of a negative number only, so large |x| neither overflows nor loses precision
        e = xp.exp(-xp.abs(x))
        y = xp.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return grad_output * y * (1 - y)


# ----------------------------------------------------------------------------- piecewise

class Relu(Primitive):
    """y = max(x, 0);  dx = dy * not(y <= 0)   (the subgradient at 0 is 0, and a NaN passes
    its gradient, as torch's threshold_backward)"""

    @staticmethod
    def forward(ctx, x):
        y = _xp(x).maximum(x, 0)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        # a product, not masked_fill: NumPy's where() is ~10x slower on a random mask
        return grad_output * (y <= 0).logical_not()
