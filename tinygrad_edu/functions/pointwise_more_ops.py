"""Primitives of pointwise_more.py: fmax/fmin, frexp, nextafter, the Bessel function i0 (with
i1 for its derivative), angle, and two ops without a gradient of their own: comparisons written
in place (zero gradient) and the results torch gives no derivative (backward raises).
"""
from __future__ import annotations

import math

from ..autograd.primitive import Primitive
from ..backend import get_array_module


def _xp(x):
    return get_array_module(x)


# ----------------------------------------------------------------------------- NaN-ignoring max

class _NanIgnoring(Primitive):
    """The backward of fmax and fmin: dz goes to x where x was chosen (or y is NaN), else to y."""

    @classmethod
    def backward(cls, ctx, grad_output):
        x, y = ctx.saved_tensors
        chose_x = cls.keeps_x(x, y) | y.isnan()
        dx = grad_output.masked_fill(~chose_x, 0) if ctx.needs_input_grad[0] else None
        dy = grad_output.masked_fill(chose_x, 0) if ctx.needs_input_grad[1] else None
        return dx, dy


class Fmax(_NanIgnoring):
    """z = max(x, y), the number where one is NaN;  dx = dz where x >= y or y is NaN, dy = the
    rest   (ties go to x, as torch)"""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return _xp(x).fmax(x, y)

    @staticmethod
    def keeps_x(x, y):
        return x >= y


class Fmin(_NanIgnoring):
    """z = min(x, y), the number where one is NaN;  dx = dz where x <= y or y is NaN, dy = the
    rest   (ties go to x, as torch)"""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return _xp(x).fmin(x, y)

    @staticmethod
    def keeps_x(x, y):
        return x <= y


# ----------------------------------------------------------------------------- floating point

class Frexp(Primitive):
    """(m, e) with x = m · 2^e, 0.5 <= |m| < 1;  dx = dm / 2^e   (e is an int32, no gradient)"""

    @staticmethod
    def forward(ctx, x):
        mantissa, exponent = _xp(x).frexp(x)
        exponent = exponent.astype("int32", copy=False)
        ctx.save_for_backward(exponent)
        return mantissa, exponent

    @staticmethod
    def backward(ctx, grad_mantissa, grad_exponent):
        exponent, = ctx.saved_tensors
        return grad_mantissa / (2.0 ** exponent.to(grad_mantissa.dtype))


class Ldexp(Primitive):
    """z = x · 2^n;  dx = dz · 2^n,  dn = dz · z · ln 2   (as torch writes dx, 2^n is taken in
    n's dtype: 0 for a negative integer n)"""

    @staticmethod
    def forward(ctx, x, n):
        z = x * 2.0 ** n.astype(x.dtype, copy=False)
        ctx.save_for_backward(n, z)
        return z

    @staticmethod
    def backward(ctx, grad_output):
        n, z = ctx.saved_tensors
        dx = grad_output * (2 ** n) if ctx.needs_input_grad[0] else None
        dn = grad_output * z * math.log(2) if ctx.needs_input_grad[1] else None
        return dx, dn


class Nextafter(Primitive):
    """z = the next representable number after x towards y;  dx = dz (0 where x = y: z = y
    there),  dy = 0"""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return _xp(x).nextafter(x, y)

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        dx = grad_output.masked_fill(x == y, 0) if ctx.needs_input_grad[0] else None
        return dx, (grad_output * 0 if ctx.needs_input_grad[1] else None)


class Angle(Primitive):
    """y = the argument of a real number: π below 0, 0 otherwise (NaN stays NaN);  dx = 0"""

    @staticmethod
    def forward(ctx, x):
        xp = _xp(x)
        return xp.where(x < 0, math.pi, xp.where(x == x, 0, x)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * 0


# ----------------------------------------------------------------------------- Bessel functions

def _bessel_i1(x):
    """I₁(x): its power series Σ (x/2)^(2k+1) / (k! (k+1)!) up to |x| = 30, the asymptotic
    series eˣ/√(2πx) · Σ_k (-1)^k Π_(j<=k) (4 - (2j-1)²) / (8jx) beyond (both to ~1e-15)."""
    xp = _xp(x)
    big = xp.abs(x) > 30
    small = xp.where(big, 0.0, x)
    half_square = (small / 2) ** 2
    term = small / 2
    series = term.copy()
    for k in range(1, 80):
        term = term * half_square / (k * (k + 1))
        series = series + term
    large = xp.where(big, xp.abs(x), 31.0)
    term = xp.ones_like(large)
    expansion = term.copy()
    for j in range(1, 25):
        term = term * -(4 - (2 * j - 1) ** 2) / (8 * j * large)
        expansion = expansion + term
    with_sign = xp.sign(x) * xp.exp(large) / xp.sqrt(2 * math.pi * large) * expansion
    return xp.where(big, with_sign, series)


class I0(Primitive):
    """y = I₀(x), the modified Bessel function of order 0;  dx = dy · I₁(x)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _xp(x).i0(x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * I1.apply(x)


class I1(Primitive):
    """y = I₁(x);  dx = dy · (I₀(x) - I₁(x)/x)   (dy/2 at x = 0)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _bessel_i1(x.astype("float64")).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        at_zero = x == 0
        ratio = I1.apply(x) / x.masked_fill(at_zero, 1)
        return grad_output * (I0.apply(x) - ratio).masked_fill(at_zero, 0.5)


# ----------------------------------------------------------------------------- no gradient

class Compared(Primitive):
    """y = a comparison's 0/1 result written into x (x.eq_(y), x.lt_(y), ...);  dx = 0, dy = 0"""

    @staticmethod
    def forward(ctx, x, other, *, values):
        return values.astype(x.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        zero = grad_output * 0
        return zero, (zero if ctx.needs_input_grad[1] else None)


class NotDifferentiable(Primitive):
    """y = the given values: an op torch defines no derivative for (heaviside, floor_divide_);
    its backward raises torch's error instead of returning a wrong gradient."""

    node_name = "NotImplemented"

    @staticmethod
    def forward(ctx, *inputs, values, name):
        ctx.name = name
        return values

    @staticmethod
    def backward(ctx, grad_output):
        raise RuntimeError(f"derivative for aten::{ctx.name} is not implemented")
