"""Elementwise primitives of the error and gamma families: erfc, erfinv, lgamma, digamma and
polygamma (erf itself is in special.py). Their values come from special_numerics.py, computed
in float64 and returned in the input's dtype; each backward is the next function of the family.
The public functions are in math.py.
"""
from __future__ import annotations

import math

from ..autograd.primitive import Primitive
from . import special_numerics as sn
from .special import erfc

_SQRT_PI = math.sqrt(math.pi)


def _float64_function(function, x, *args):
    """A special function computed in float64, returned in x's dtype."""
    return function(*args, x).astype(x.dtype, copy=False)


# ----------------------------------------------------------------------------- error function

class Erfc(Primitive):
    """y = erfc(x) = 1 - erf(x);  dx = -dy · 2/√π · e^(-x²)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _float64_function(erfc, x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * (x * x * -1.0).exp() * (-2 / _SQRT_PI)


class Erfinv(Primitive):
    """y = erf⁻¹(x);  dx = dy · √π/2 · e^(y²)"""

    @staticmethod
    def forward(ctx, x):
        y = _float64_function(sn.erfinv, x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return grad_output * (y * y).exp() * (_SQRT_PI / 2)


# ----------------------------------------------------------------------------- gamma family

class Lgamma(Primitive):
    """y = log|Γ(x)|;  dx = dy · ψ(x)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _float64_function(sn.lgamma, x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * Digamma.apply(x)


class Digamma(Primitive):
    """y = ψ(x) = Γ'(x)/Γ(x);  dx = dy · ψ'(x) (polygamma(1, x))"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _float64_function(sn.digamma, x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * Polygamma.apply(x, n=1)


class Polygamma(Primitive):
    """y = ψ⁽ⁿ⁾(x);  dx = dy · ψ⁽ⁿ⁺¹⁾(x)"""

    @staticmethod
    def forward(ctx, x, *, n):
        ctx.save_for_backward(x)
        ctx.n = n
        return _float64_function(sn.polygamma, x, n)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * Polygamma.apply(x, n=ctx.n + 1)
