"""Elementwise primitives: y = f(x) or z = f(x, y), applied to every element.

Each backward is the chain rule for one element; broadcasting is undone by the engine (the
adjoint of broadcasting is summation), so these formulas never mention shapes.
Scalars (Python numbers) may stand for either operand; they receive no gradient.
"""
from __future__ import annotations

import math

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


class Pow(Primitive):
    """z = x ** y (both tensors);  dx = dz * y * x**(y-1),  dy = dz * z * log(x)
    (dx is 0 where y == 0; dy is 0 where x == 0 and y >= 0, as torch defines them)"""

    node_name = "PowBackward1"

    @staticmethod
    def forward(ctx, x, y):
        z = x ** y
        ctx.save_for_backward(x, y, z)
        return z

    @staticmethod
    def backward(ctx, grad_output):
        x, y, z = ctx.saved_tensors
        dx = dy = None
        if ctx.needs_input_grad[0]:
            dx = (grad_output * y * x ** (y - 1)).masked_fill(y == 0, 0)
        if ctx.needs_input_grad[1]:
            dy = grad_output * z * x.log().masked_fill((x == 0) & (y >= 0), 0)
        return dx, dy


class PowScalar(Primitive):
    """z = x ** c (c a number);  dx = dz * c * x**(c-1)   (0 when c == 0)"""

    node_name = "PowBackward0"

    @staticmethod
    def forward(ctx, x, *, exponent):
        ctx.save_for_backward(x)
        ctx.exponent = exponent
        if exponent == 2:
            return x * x  # exact and faster than the general power
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


class ScalarPow(Primitive):
    """z = c ** y (c a number);  dy = dz * z * log(c)   (0 where c == 0 and y >= 0)"""

    node_name = "PowBackward2"

    @staticmethod
    def forward(ctx, y, *, base):
        z = _xp(y).power(base, y)
        if y.dtype.kind == "f":
            z = z.astype(y.dtype, copy=False)
        ctx.save_for_backward(y, z)
        ctx.base = base
        return z

    @staticmethod
    def backward(ctx, grad_output):
        y, z = ctx.saved_tensors
        c = ctx.base
        if c == 0:
            return grad_output * 0
        return grad_output * z * math.log(c)


class Remainder(Primitive):
    """z = x mod y = x - ⌊x / y⌋ y;  dx = dz,  dy = -dz * ⌊x / y⌋"""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        xp = get_array_module(x if hasattr(x, "dtype") else y)
        return xp.remainder(x, y)

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        # x // y (floor division) is consistent with the remainder even where x / y rounds
        dy = -grad_output * (x // y) if ctx.needs_input_grad[1] else None
        return grad_output, dy


class Reciprocal(Primitive):
    """y = 1 / x;  dx = -dy * y²"""

    @staticmethod
    def forward(ctx, x):
        y = 1 / x
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return -grad_output * y * y


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


class Log1p(Primitive):
    """y = log(1 + x);  dx = dy / (1 + x)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _xp(x).log1p(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output / (x + 1)


class Expm1(Primitive):
    """y = exp(x) - 1;  dx = dy * (y + 1)"""

    @staticmethod
    def forward(ctx, x):
        y = _xp(x).expm1(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return grad_output * (y + 1)


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


class Rsqrt(Primitive):
    """y = 1/√x;  dx = -dy * y³ / 2"""

    @staticmethod
    def forward(ctx, x):
        y = 1 / _xp(x).sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return grad_output * y * y * y * -0.5


# ------------------------------------------------------------------------- trigonometric, sigmoid

class Sin(Primitive):
    """y = sin(x);  dx = dy * cos(x)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _xp(x).sin(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * x.cos()


class Cos(Primitive):
    """y = cos(x);  dx = -dy * sin(x)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _xp(x).cos(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return -grad_output * x.sin()


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
