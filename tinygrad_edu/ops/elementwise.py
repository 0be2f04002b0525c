"""Elementwise primitives: y = f(x) or z = f(x, y), applied to every element.

Each backward is the chain rule for one element; broadcasting is undone by the engine (the
adjoint of broadcasting is summation), so these formulas never mention shapes.
Scalars (Python numbers) may stand for either operand; they receive no gradient.
"""
from __future__ import annotations

import math

from ..autograd.function import Primitive
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
    """y = max(x, 0);  dx = dy * (y > 0)   (the subgradient at 0 is 0, as torch)"""

    @staticmethod
    def forward(ctx, x):
        y = _xp(x).maximum(x, 0)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return grad_output * (y > 0)


class Abs(Primitive):
    """y = |x|;  dx = dy * sign(x)   (0 at x = 0, as torch)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _xp(x).abs(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * x.sign()


class Clamp(Primitive):
    """y = min(max(x, lo), hi);  dx = dy where lo <= x <= hi (bounds included), else 0;
    a tensor bound gets dy where it was the value chosen (torch's clamp_backward_min_max)."""

    @staticmethod
    def forward(ctx, x, lo, hi):
        xp = _xp(x)
        ctx.save_for_backward(x, lo if _is_array(lo) else None, hi if _is_array(hi) else None)
        ctx.lo, ctx.hi = lo, hi
        y = x
        if lo is not None:
            y = xp.maximum(y, lo)
        if hi is not None:
            y = xp.minimum(y, hi)
        return x.copy() if y is x else y

    @staticmethod
    def backward(ctx, grad_output):
        x, lo_t, hi_t = ctx.saved_tensors
        lo = lo_t if lo_t is not None else ctx.lo
        hi = hi_t if hi_t is not None else ctx.hi
        if lo is not None and hi is not None:
            inside = (x >= lo) & (x <= hi)
        else:
            inside = (x >= lo) if lo is not None else (x <= hi)
        dx = grad_output * inside if ctx.needs_input_grad[0] else None
        dlo = dhi = None
        if ctx.needs_input_grad[1]:
            chosen = (x < lo) & (lo < hi) if hi is not None else (x < lo)
            dlo = grad_output * chosen
        if ctx.needs_input_grad[2]:
            chosen = (x > hi) | (hi < lo) if lo is not None else (x > hi)
            dhi = grad_output * chosen
        return dx, dlo, dhi


def _is_array(x) -> bool:
    return hasattr(x, "shape") and hasattr(x, "dtype")


class Maximum(Primitive):
    """z = max(x, y);  dx = dz where x > y,  dy = dz where y > x,  dz/2 each on ties"""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return _xp(x).maximum(x, y)

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        share = grad_output / ((x == y) + 1)
        dx = share.masked_fill(x < y, 0) if ctx.needs_input_grad[0] else None
        dy = share.masked_fill(x > y, 0) if ctx.needs_input_grad[1] else None
        return dx, dy


class Minimum(Primitive):
    """z = min(x, y);  dx = dz where x < y,  dy = dz where y < x,  dz/2 each on ties"""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return _xp(x).minimum(x, y)

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        share = grad_output / ((x == y) + 1)
        dx = share.masked_fill(x > y, 0) if ctx.needs_input_grad[0] else None
        dy = share.masked_fill(x < y, 0) if ctx.needs_input_grad[1] else None
        return dx, dy


class Where(Primitive):
    """z = x where c else y;  dx = dz where c else 0,  dy = dz where not c else 0"""

    @staticmethod
    def forward(ctx, x, y, *, condition):
        ctx.save_for_backward(condition)
        return _xp(condition).where(condition, x, y)

    @staticmethod
    def backward(ctx, grad_output):
        condition, = ctx.saved_tensors
        dx = grad_output.masked_fill(~condition, 0) if ctx.needs_input_grad[0] else None
        dy = grad_output.masked_fill(condition, 0) if ctx.needs_input_grad[1] else None
        return dx, dy


class MaskedFill(Primitive):
    """y = x with x[mask] = value;  dx = dy where not mask, 0 under the mask"""

    @staticmethod
    def forward(ctx, x, value, *, mask):
        ctx.save_for_backward(mask)
        return _xp(x).where(mask, value, x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        mask, = ctx.saved_tensors
        dx = grad_output.masked_fill(mask, 0) if ctx.needs_input_grad[0] else None
        dvalue = grad_output.masked_fill(~mask, 0).sum() if ctx.needs_input_grad[1] else None
        return dx, dvalue


class _Flat(Primitive):
    """Functions that are flat almost everywhere: dx = 0, as torch defines it."""

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * 0


class Floor(_Flat):
    """y = ⌊x⌋;  dx = 0"""

    @staticmethod
    def forward(ctx, x):
        return _xp(x).floor(x)


class Ceil(_Flat):
    """y = ⌈x⌉;  dx = 0"""

    @staticmethod
    def forward(ctx, x):
        return _xp(x).ceil(x)


class Trunc(_Flat):
    """y = trunc(x);  dx = 0"""

    @staticmethod
    def forward(ctx, x):
        return _xp(x).trunc(x)


class Round(_Flat):
    """y = round(x, decimals) (halves to even, as torch);  dx = 0"""

    @staticmethod
    def forward(ctx, x, *, decimals=0):
        return _xp(x).round(x, decimals)


class Sign(_Flat):
    """y = sign(x);  dx = 0"""

    @staticmethod
    def forward(ctx, x):
        return _xp(x).sign(x)


# ----------------------------------------------------------------------------- writing values

class Fill(Primitive):
    """y = c everywhere;  dx = 0"""

    node_name = "FillBackward0"

    @staticmethod
    def forward(ctx, x, *, value):
        out = get_array_module(x).empty_like(x)
        out[...] = value
        return out

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * 0


class CopyFrom(Primitive):
    """y = a copy of x, converted to the destination (Tensor.copy_);  dx = dy"""

    node_name = "CopyBackwards"

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output
