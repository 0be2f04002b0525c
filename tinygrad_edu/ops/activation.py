"""Activation functions: the nonlinearities between layers (relu, sigmoid and tanh are in
elementwise.py).

Each forward computes on raw arrays; each backward is written with Tensor operations, so the
gradient of an activation can itself be differentiated (double backward, e.g. for gradient
penalties). At a kink the subgradient is the one torch picks, stated in each docstring.
"""
from __future__ import annotations

import math

from ..autograd.primitive import Primitive
from ..backend import get_array_module


def _constant(array):
    """A Tensor of values that do not depend on any input (a mask, a fixed slope)."""
    from ..tensor import Tensor  # noqa: PLC0415 - tensor.py imports the ops
    return Tensor._make(array)


# ----------------------------------------------------------------------------- piecewise linear

class LeakyRelu(Primitive):
    """y = x if x > 0 else slope·x;  dx = dy if x > 0 else slope·dy   (slope at 0, as torch)"""

    @staticmethod
    def forward(ctx, x, *, negative_slope):
        ctx.save_for_backward(x)
        ctx.negative_slope = negative_slope
        return get_array_module(x).where(x > 0, x, x * negative_slope)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        data = x._data
        slope = get_array_module(data).where(data > 0, 1.0, ctx.negative_slope)
        return grad_output * _constant(slope.astype(data.dtype, copy=False))


class LeakyReluInplace(LeakyRelu):
    """leaky_relu_ (torch records the in-place form under its own name)"""

    node_name = "LeakyReluBackward1"


class Hardtanh(Primitive):
    """y = min(max(x, lo), hi);  dx = dy where lo < x < hi, 0 elsewhere (0 at both bounds)"""

    @staticmethod
    def forward(ctx, x, *, min_val, max_val):
        ctx.save_for_backward(x)
        ctx.bounds = (min_val, max_val)
        xp = get_array_module(x)
        return xp.minimum(xp.maximum(x, min_val), max_val).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        lo, hi = ctx.bounds
        inside = (x._data > lo) & (x._data < hi)
        return grad_output * _constant(inside)


# ----------------------------------------------------------------------------- smooth

class Elu(Primitive):
    """y = x if x > 0 else α(eˣ - 1);  dx = dy if x > 0 else dy·α·eˣ   (α·dy at 0, as torch;
    the slope's own derivative is 0 at 0, as torch's double backward)"""

    @staticmethod
    def forward(ctx, x, *, alpha):
        ctx.save_for_backward(x)
        ctx.alpha = alpha
        xp = get_array_module(x)
        return xp.where(x > 0, x, xp.expm1(x) * alpha)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        # e^x for x < 0 only: no overflow where the slope is 1 anyway (inf * 0 would be NaN),
        # and no second derivative at 0 itself
        negative = x.masked_fill(_constant(x._data >= 0), 0.0)
        slope = (negative.exp() * ctx.alpha).masked_fill(_constant(x._data > 0), 1.0)
        return grad_output * slope


class EluInplace(Elu):
    """elu_ (torch records the in-place form under its own name)"""

    node_name = "EluBackward1"


class Softplus(Primitive):
    """y = log(1 + e^(βx)) / β, or x where βx > threshold;
    dx = dy·σ(βx), or dy where βx > threshold   (σ's own derivative is 0 from the threshold
    on, as torch's double backward)"""

    @staticmethod
    def forward(ctx, x, *, beta, threshold):
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        xp = get_array_module(x)
        scaled = x * beta
        return xp.where(scaled > threshold, x, xp.log1p(xp.exp(scaled)) / beta).astype(
            x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        threshold = ctx.threshold
        scaled = x * ctx.beta
        flat = scaled.masked_fill(_constant(scaled._data >= threshold), threshold)
        linear = _constant(scaled._data > threshold)
        return grad_output * flat.sigmoid().masked_fill(linear, 1.0)


class Silu(Primitive):
    """y = x·σ(x);  dx = dy·σ(x)·(1 + x·(1 - σ(x)))"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        xp = get_array_module(x)
        return x / (1 + xp.exp(-x))

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        s = x.sigmoid()
        return grad_output * s * (1 + x * (1 - s))


class Gelu(Primitive):
    """y = x·Φ(x), Φ the standard normal CDF;  dx = dy·(Φ(x) + x·φ(x))
    approximate='tanh': Φ(x) ≈ (1 + tanh(√(2/π)(x + 0.044715x³))) / 2, differentiated as is"""

    @staticmethod
    def forward(ctx, x, *, approximate):
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        xp = get_array_module(x)
        if approximate == "tanh":
            inner = _TANH_BETA * (x + _TANH_KAPPA * x * x * x)
            return 0.5 * x * (1 + xp.tanh(inner))
        return (x * 0.5 * (1 + erf(x * _SQRT1_2))).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        if ctx.approximate == "tanh":
            square = x * x
            t = ((x + square * x * _TANH_KAPPA) * _TANH_BETA).tanh()
            slope = (1 + t) * 0.5 + x * 0.5 * (1 - t * t) * _TANH_BETA * (1 + square * 3 *
                                                                         _TANH_KAPPA)
            return grad_output * slope
        cdf = (1 + Erf.apply(x * _SQRT1_2)) * 0.5
        pdf = (x * x * -0.5).exp() * _INV_SQRT_2PI
        return grad_output * (cdf + x * pdf)


_SQRT1_2 = math.sqrt(0.5)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_TANH_BETA = math.sqrt(2 / math.pi)
_TANH_KAPPA = 0.044715


# ----------------------------------------------------------------------------- erf

class Erf(Primitive):
    """y = erf(x) = 2/√π ∫₀ˣ e^(-t²) dt;  dx = dy · 2/√π · e^(-x²)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return erf(x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * (x * x * -1.0).exp() * (2 / math.sqrt(math.pi))


# W. J. Cody's rational approximations (Math. Comp. 1969, as in SPECFUN's CALERF): erf on
# |x| <= 0.5, erfc on 0.5 < |x| <= 4 and beyond; accurate to double precision. NumPy has no
# erf of its own, and this keeps GELU on CuPy arrays too.
_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
      3.20937758913846947e03, 1.85777706184603153e-1)
_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
      2.84423683343917062e03)
_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
      2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
      2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)
_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
      1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
      3.43936767414372164e03, 1.23033935480374942e03)
_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
      1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_Q = (2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1,
      6.05183413124413191e-2, 2.33520497626869185e-3)


def erf(x):
    """erf of an array, computed in float64."""
    xp = get_array_module(x)
    x = x.astype(xp.float64)
    y = xp.minimum(xp.abs(x), 30.0)  # erfc(30) underflows to 0: keeps ±inf finite below

    square = y * y  # |x| <= 0.5: erf directly
    numerator, denominator = _A[4] * square, square
    for i in range(3):
        numerator = (numerator + _A[i]) * square
        denominator = (denominator + _B[i]) * square
    small = x * (numerator + _A[3]) / (denominator + _B[3])

    numerator, denominator = _C[8] * y, y  # 0.5 < |x| <= 4: erfc
    for i in range(7):
        numerator = (numerator + _C[i]) * y
        denominator = (denominator + _D[i]) * y
    middle = (numerator + _C[7]) / (denominator + _D[7])

    with_big = xp.maximum(y, 4.0)  # |x| > 4: erfc, asymptotically
    inverse = 1 / (with_big * with_big)
    numerator, denominator = _P[5] * inverse, inverse
    for i in range(4):
        numerator = (numerator + _P[i]) * inverse
        denominator = (denominator + _Q[i]) * inverse
    large = (1 / math.sqrt(math.pi) - inverse * (numerator + _P[4]) / (denominator + _Q[4])) \
        / with_big

    # erfc = e^(-y²) * ratio; e^(-y²) split as e^(-r²) e^(-(y-r)(y+r)) with r = y rounded to
    # 1/16, so that the rounding error of y² is not amplified by the exponential
    rounded = xp.trunc(y * 16) / 16
    scale = xp.exp(-rounded * rounded) * xp.exp(-(y - rounded) * (y + rounded))
    erfc = scale * xp.where(y <= 4, middle, large)
    outer = xp.where(x < 0, erfc - 1, 1 - erfc)
    return xp.where(y <= 0.5, small, outer)
