"""Elementwise primitives of the torch surface beyond the core's (ops/elementwise.py): each is a
primitive of its own, rather than composed, for NumPy's accuracy (log1p, expm1) or speed.
The functions that check arguments and call them are in pointwise.py.
"""
from __future__ import annotations

import math

from ..autograd.primitive import Primitive
from ..backend import get_array_module


def _xp(x):
    return get_array_module(x)


def power(x, y):
    """x ** y; for integers with y < 0 torch's rule (NumPy refuses): 1 ** y = 1,
    (-1) ** y = ±1 by the parity of y, anything else 0 (the quotient truncated)."""
    y_kind = getattr(y, "dtype", None)
    if y_kind is None or y_kind.kind != "i" or getattr(x, "dtype", y_kind).kind == "f":
        return _xp(y).power(x, y)
    xp = _xp(y)
    negative = y < 0
    z = xp.power(x, xp.where(negative, y % 2, y))  # ±1 ** (y mod 2) is ±1 ** y
    return xp.where(negative & (x != 1) & (x != -1), 0, z).astype(z.dtype, copy=False)


class ScalarPow(Primitive):
    """z = c ** y (c a number);  dy = dz * z * log(c)   (0 where c == 0 and y >= 0)"""

    node_name = "PowBackward2"

    @staticmethod
    def forward(ctx, y, *, base):
        z = power(base, y)
        if y.dtype.kind == "f":
            z = z.astype(y.dtype, copy=False)
        ctx.save_for_backward(y, z)
        ctx.base = base
        return z

    @staticmethod
    def backward(ctx, grad_output):
        y, z = ctx.saved_tensors
        c = ctx.base
        if c == 0:  # z·log 0: -inf·z where y < 0 (NaN at NaN), 0 where y >= 0, as torch
            log_base = _xp(y._data).where(y._data < 0, -math.inf, 0).astype(y._data.dtype)
            return grad_output * z * y._make(log_base)
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


class Fmod(Primitive):
    """z = fmod(x, y) = x - trunc(x / y) y (the sign follows x);  dx = dz,
    dy = -dz * trunc(x / y)"""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        xp = get_array_module(x if hasattr(x, "dtype") else y)
        return xp.fmod(x, y)

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        dy = -grad_output * (x / y).trunc() if ctx.needs_input_grad[1] else None
        return grad_output, dy


class FmodTensor(Fmod):
    """fmod with a tensor divisor (torch names its node FmodBackward1)"""

    node_name = "FmodBackward1"


class DivRounding(Primitive):
    """z = floor(x / y) or trunc(x / y);  dx = 0,  dy = 0 (a step function, as torch)"""

    node_name = "DivBackward2"

    @staticmethod
    def forward(ctx, x, y, *, mode):
        xp = get_array_module(x if hasattr(x, "dtype") else y)
        quotient = x / y
        return xp.floor(quotient) if mode == "floor" else xp.trunc(quotient)

    @staticmethod
    def backward(ctx, grad_output):
        zero = grad_output * 0
        return zero, zero if ctx.needs_input_grad[1] else None


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


class Pow(Primitive):
    """z = x ** y (both tensors);  dx = dz * y * x**(y-1),  dy = dz * z * log(x)
    (dx is 0 where y == 0; dy is 0 where x == 0 and y >= 0, as torch defines them)"""

    node_name = "PowBackward1"

    @staticmethod
    def forward(ctx, x, y):
        z = power(x, y)
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
