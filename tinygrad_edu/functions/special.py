"""erf, the error function: a primitive of its own (torch.erf, torch.special.erf).

NumPy has no erf, so it is computed here (W. J. Cody's rational approximations, below), on
NumPy and CuPy arrays alike; nn.functional's gelu uses it too.
"""
from __future__ import annotations

import math

from ..autograd.primitive import Primitive
from ..backend import get_array_module


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
    x, y, small, erfc_of_y = _erf_parts(x)
    outer = get_array_module(x).where(x < 0, erfc_of_y - 1, 1 - erfc_of_y)
    return get_array_module(x).where(y <= 0.5, small, outer)


def erfc(x):
    """erfc(x) = 1 - erf(x) of an array, in float64, without the cancellation of 1 - erf(x)
    for large x."""
    x, y, small, erfc_of_y = _erf_parts(x)
    outer = get_array_module(x).where(x < 0, 2 - erfc_of_y, erfc_of_y)
    return get_array_module(x).where(y <= 0.5, 1 - small, outer)


def _erf_parts(x):
    """(x, |x|, erf(x) for |x| <= 0.5, erfc(|x|) for |x| > 0.5), all in float64."""
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
    return x, y, small, scale * xp.where(y <= 4, middle, large)
