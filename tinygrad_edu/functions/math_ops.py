"""Elementwise primitives of torch's math functions: trigonometric and hyperbolic functions and
their inverses, logit, nan_to_num and the two-argument functions (atan2, hypot, logaddexp,
xlogy, copysign); the error and gamma families are in gamma_ops.py. Each backward is the
textbook derivative, written as torch writes it. The public functions that check arguments and
call them are in math.py.
"""
from __future__ import annotations

import math

from ..autograd.primitive import Primitive
from ..backend import get_array_module


def _xp(*arrays):
    return get_array_module(next(a for a in arrays if hasattr(a, "dtype")))


# ----------------------------------------------------------------------------- trigonometric

class Tan(Primitive):
    """y = tan(x);  dx = dy * (1 + y²)"""

    @staticmethod
    def forward(ctx, x):
        y = _xp(x).tan(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return grad_output * (y * y + 1)


class Sinh(Primitive):
    """y = sinh(x);  dx = dy * cosh(x)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _xp(x).sinh(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * x.cosh()


class Cosh(Primitive):
    """y = cosh(x);  dx = dy * sinh(x)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _xp(x).cosh(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * x.sinh()


class Asin(Primitive):
    """y = asin(x);  dx = dy / √(1 - x²)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _xp(x).arcsin(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * (-x * x + 1).rsqrt()


class Acos(Primitive):
    """y = acos(x);  dx = -dy / √(1 - x²)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _xp(x).arccos(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * -(-x * x + 1).rsqrt()


class Atan(Primitive):
    """y = atan(x);  dx = dy / (1 + x²)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _xp(x).arctan(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output / (x * x + 1)


class Asinh(Primitive):
    """y = asinh(x) = log(x + √(x² + 1));  dx = dy / √(x² + 1)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _xp(x).arcsinh(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * (x * x + 1).rsqrt()


class Acosh(Primitive):
    """y = acosh(x) = log(x + √(x² - 1));  dx = dy / √(x² - 1)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _xp(x).arccosh(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * (x * x - 1).rsqrt()


class Atanh(Primitive):
    """y = atanh(x) = ½ log((1 + x) / (1 - x));  dx = dy / (1 - x²)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _xp(x).arctanh(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output / (-x * x + 1)


class Atan2(Primitive):
    """z = atan2(y, x), the angle of the point (x, y);  dy = dz x / (x² + y²),
    dx = -dz y / (x² + y²)  (both 0 where x² + y² is 0)"""

    @staticmethod
    def forward(ctx, y, x):
        ctx.save_for_backward(y, x)
        return _xp(y, x).arctan2(y, x)

    @staticmethod
    def backward(ctx, grad_output):
        y, x = ctx.saved_tensors
        square = y * y + x * x
        inverse = square.reciprocal().masked_fill(square == 0, 0)  # 0 at the origin, as torch
        return grad_output * x * inverse, grad_output * -y * inverse


class Sinc(Primitive):
    """y = sin(πx) / (πx), 1 at x = 0;  dx = dy (πx cos(πx) - sin(πx)) / (πx²), 0 at x = 0"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        xp = _xp(x)
        angle = x * x.dtype.type(math.pi)
        with xp.errstate(invalid="ignore", divide="ignore"):
            return xp.where(x == 0, 1, xp.sin(angle) / angle).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        angle = x * math.pi
        square = x * x * math.pi
        derivative = grad_output * (angle * angle.cos() - angle.sin()) / square
        return derivative.masked_fill(square == 0, 0)


# ----------------------------------------------------------------------------- logarithmic

class Logit(Primitive):
    """y = log(x / (1 - x)), x first clamped to [eps, 1 - eps] if eps is given;
    dx = dy / (x (1 - x)) inside [eps, 1 - eps] (or [0, 1]), 0 outside (nan without eps)"""

    @staticmethod
    def forward(ctx, x, *, eps):
        ctx.save_for_backward(x)
        ctx.eps = eps
        xp = _xp(x)
        if eps is not None:
            x = xp.clip(x, eps, 1 - eps)
        with xp.errstate(divide="ignore", invalid="ignore"):
            return xp.log(x / (1 - x))

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        low = 0 if ctx.eps is None else ctx.eps
        if ctx.eps is None:
            outside = (x < low) | (x > 1 - low)
        else:  # NaN counts as outside the clamp, as torch
            outside = ((x >= low) & (x <= 1 - low)).logical_not()
        return (grad_output / (x * (-x + 1))).masked_fill(
            outside, math.nan if ctx.eps is None else 0)


class Xlogy(Primitive):
    """z = x log(y), 0 where x = 0 (unless y is nan);  dx = dz log(y) (0 where dz = 0, or
    where x = 0 and y <= 0),  dy = dz x / y"""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        xp = _xp(x, y)
        if not hasattr(x, "dtype"):  # a number takes the tensor's dtype (log(3) in float32)
            x = y.dtype.type(x)
        if not hasattr(y, "dtype"):
            y = x.dtype.type(y)
        with xp.errstate(divide="ignore", invalid="ignore"):
            z = x * xp.log(y)
        return xp.where((x == 0) & ~xp.isnan(y), 0, z).astype(z.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        dx = dy = None
        if ctx.needs_input_grad[0]:
            dx = Xlogy.apply(grad_output, y).masked_fill((x == 0) & (y <= 0), 0)
        if ctx.needs_input_grad[1]:
            dy = grad_output * x / y
        return dx, dy


class XlogyScalarSelf(Xlogy):
    """xlogy with a number x (torch names its node XlogyBackward1)"""

    node_name = "XlogyBackward1"


class XlogyScalarOther(Xlogy):
    """xlogy with a number y (torch names its node XlogyBackward2)"""

    node_name = "XlogyBackward2"


class Logaddexp(Primitive):
    """z = log(eˣ + eʸ) = max + log1p(e^-|x - y|);  dx = dz / (1 + e^(y - x)),
    dy = dz / (1 + e^(x - y))"""

    base = math.e

    @classmethod
    def forward(cls, ctx, x, y):
        ctx.save_for_backward(x, y)
        xp = _xp(x, y)
        with xp.errstate(invalid="ignore"):
            tail = xp.log1p(xp.power(x.dtype.type(cls.base), -xp.abs(x - y))) / \
                math.log(cls.base)
            z = xp.maximum(x, y) + tail
        return xp.where(xp.isinf(x) & (x == y), x, z)  # log(eˣ + eˣ) at x = ±inf is x

    @classmethod
    def backward(cls, ctx, grad_output):
        x, y = ctx.saved_tensors
        return (grad_output / (cls.base ** (y - x) + 1),
                grad_output / (cls.base ** (x - y) + 1))


class Logaddexp2(Logaddexp):
    """z = log₂(2ˣ + 2ʸ);  dx = dz / (1 + 2^(y - x)),  dy = dz / (1 + 2^(x - y))"""

    base = 2.0


class Hypot(Primitive):
    """z = √(x² + y²);  dx = dz x / z,  dy = dz y / z"""

    @staticmethod
    def forward(ctx, x, y):
        z = _xp(x, y).hypot(x, y)
        ctx.save_for_backward(x, y, z)
        return z

    @staticmethod
    def backward(ctx, grad_output):
        x, y, z = ctx.saved_tensors
        return grad_output * x / z, grad_output * y / z


class Copysign(Primitive):
    """z = |x| with the sign of y;  dx = dz · z / x (0 at x = 0),  dy = 0"""

    @staticmethod
    def forward(ctx, x, y):
        z = _xp(x, y).copysign(x, y)
        ctx.save_for_backward(x, z)
        return z

    @staticmethod
    def backward(ctx, grad_output):
        x, z = ctx.saved_tensors
        # a constant zero, not dz * 0: a nan in dz must not reach y
        dy = grad_output.new_zeros(grad_output.shape) if ctx.needs_input_grad[1] else None
        return grad_output * (z / x).masked_fill(x == 0, 0), dy


class CopysignScalar(Copysign):
    """copysign with a number for the sign (torch names its node CopysignBackward1)"""

    node_name = "CopysignBackward1"


class NanToNum(Primitive):
    """y = x with nan, +inf and -inf replaced by numbers;  dx = dy where x is finite, else 0"""

    @staticmethod
    def forward(ctx, x, *, nan, posinf, neginf):
        ctx.save_for_backward(x)
        return _xp(x).nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output.masked_fill(~x.isfinite(), 0)
