"""The special functions NumPy lacks, on NumPy and CuPy arrays alike, computed in float64:
erfinv, lgamma, digamma, trigamma and the Hurwitz zeta function (for polygamma).

Each is a textbook method: a series where it converges fast, a recurrence that moves the
argument there, and a reflection formula for negative arguments. The primitives that use them
are in math_ops.py (erfc and erf themselves are in special.py).
"""
from __future__ import annotations

import math

from ..backend import asarray, get_array_module
from .special import erf, erfc

_EULER_GAMMA = 0.5772156649015329


def _float64(x):
    xp = get_array_module(x)
    return xp, xp.asarray(x, dtype=xp.float64)


def _horner(coefficients, z):
    """c[0] + c[1] z + c[2] z² + ... (coefficients in increasing order)."""
    total = coefficients[-1] * z
    for c in coefficients[-2:0:-1]:
        total = (total + c) * z
    return total + coefficients[0]


def _sin_pi_abs(x, xp):
    """|sin(πx)|, with πx reduced to [-π/2, π/2] first so that integers give exactly 0."""
    return xp.abs(xp.sin(math.pi * (x - xp.round(x))))


# ----------------------------------------------------------------------------- Hurwitz zeta

# (2k)! / B_2k for k = 1 .. 12: the Euler–Maclaurin correction terms of the zeta tail
_ZETA_TAIL = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9,
              7.47242496e10, -2.950130727918164224e12, 1.1646782814350067249e14,
              -4.5979787224074726105e15, 1.8152105401943546773e17, -7.1661652561756670113e18)


def zeta(s, q):
    """ζ(s, q) = Σₖ (q + k)^-s for s > 1: the first terms summed until q + k > 9 (at least
    ten), the rest by Euler–Maclaurin: ∫ + half the last term + Bernoulli corrections.
    ζ is +inf at q = 0, -1, -2, ... (a term 1/0), as torch's."""
    xp, q = _float64(q)
    s = xp.asarray(s, dtype=xp.float64) + 0 * q
    pole = (q <= 0) & (q == xp.floor(q))
    q = xp.where(pole, 0.5, q)
    steps = xp.maximum(9, xp.ceil(9 - xp.where(xp.isfinite(q), q, 0)))  # q + steps > 9
    total = q ** -s
    for k in range(1, int(steps.max(initial=9)) + 1):
        total = total + xp.where(k <= steps, (q + k) ** -s, 0)
    w = q + steps
    last = w ** -s
    total = total + last * w / (s - 1) - 0.5 * last
    rising, power = 1.0, last
    for i, factor in enumerate(_ZETA_TAIL):  # B_2k/(2k)! s(s+1)...(s+2k-2) w^(-s-2k+1)
        rising = rising * (s + 2 * i)
        power = power / w
        total = total + rising * power / factor
        rising = rising * (s + 2 * i + 1)
        power = power / w
    return xp.where(pole, xp.inf, total)


# ----------------------------------------------------------------------------- lgamma

# lgamma(2 + z) = (1 - γ) z + Σ_{k≥2} (-1)^k (ζ(k) - 1)/k z^k, converging like 4^-k for
# |z| <= 1/2; its coefficients from the zeta function above (ζ(k) - 1 = ζ(k, 2))
_TERMS = 30
_SERIES = (0.0, 1 - _EULER_GAMMA) + tuple(
    (-1) ** k * float(value) / k
    for k, value in zip(range(2, _TERMS), zeta(asarray(range(2, _TERMS), dtype="float64"),
                                               asarray(2.0))))

# B_2k / (2k (2k - 1)), k = 1 .. 8: Stirling's series for lgamma
_STIRLING = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156,
             -3617 / 122400)


def lgamma(x):
    """log|Γ(x)|: the series above around 1 and 2 (accurate near the zeros at 1 and 2),
    the recurrence lgamma(x) = lgamma(x - 1) + log(x - 1) down to it below 10, Stirling's
    series from 10 on, and Γ(x) Γ(1 - x) = π / sin(πx) for x < 0."""
    xp, x = _float64(x)
    negative = x < 0
    value = _lgamma_positive(xp.where(negative, 1 - x, x), xp)
    sine = _sin_pi_abs(xp.where(xp.isfinite(x), x, 0), xp)
    with xp.errstate(divide="ignore"):
        reflected = xp.log(math.pi / sine) - value
    pole = (sine == 0) | xp.isinf(x)
    return xp.where(negative, xp.where(pole, xp.inf, reflected), value)


def _lgamma_positive(x, xp):
    """lgamma for x >= 0 (or nan)."""
    near = xp.where(x < 10, x, 2.0)
    shift = xp.clip(xp.floor(near - 1.5), -2, 8)  # z = x - 2 - shift in [-1/2, 1/2)
    z = near - (shift + 2)  # exact: x minus a whole number near it
    value = _horner(_SERIES, z)
    product = xp.ones_like(near)
    for j in range(1, 9):  # lgamma(x) = lgamma(x - m) + log((x - 1) ... (x - m))
        product = product * xp.where(j <= shift, near - j, 1.0)
    with xp.errstate(divide="ignore"):
        value = value + xp.log(product)
        value = value - xp.where(shift == -1, xp.log1p(z), 0)  # lgamma(1 + z) = ... - log1p(z)
        value = value - xp.where(shift == -2, xp.log1p(near) + xp.log(near), 0)
    far = xp.where(x < 10, 10.0, x)
    inverse = 1 / far
    stirling = (far - 0.5) * xp.log(far) - far + 0.5 * math.log(2 * math.pi) + \
        inverse * _horner(_STIRLING, inverse * inverse)
    return xp.where(x < 10, value, xp.where(xp.isinf(x), xp.inf, stirling))


# ----------------------------------------------------------------------------- digamma

_PSI_10 = 2.25175258906672110764  # ψ(10)
# B_2k / 2k, k = 7 .. 1 (highest first): the asymptotic series of ψ
_DIGAMMA_ASYMPTOTIC = (8.33333333333333333333e-2, -2.10927960927960927961e-2,
                       7.57575757575757575758e-3, -4.16666666666666666667e-3,
                       3.96825396825396825397e-3, -8.33333333333333333333e-3,
                       8.33333333333333333333e-2)


def digamma(x):
    """ψ(x) = d/dx lgamma(x): ψ(x) = ψ(x + 1) - 1/x up to x >= 10, then
    ψ(x) ~ log x - 1/(2x) - Σ B_2k / (2k x^2k); ψ(1 - x) - ψ(x) = π / tan(πx) for x < 0.
    ψ(±0) = ∓inf and ψ(negative integer) = nan, as torch defines them."""
    xp, x = _float64(x)
    negative = x < 0
    fraction = x - xp.trunc(xp.where(xp.isfinite(x), x, 0))
    y = xp.where(negative, 1 - x, x)
    result = xp.zeros_like(y)
    for _ in range(10):  # at most ten steps bring any x > 0 to [10, 11)
        small = y < 10
        with xp.errstate(divide="ignore"):
            result = result - xp.where(small, 1 / y, 0)
        y = xp.where(small, y + 1, y)
    z = 1 / (y * y)
    series = xp.where(y < 1e17, z * _horner(_DIGAMMA_ASYMPTOTIC[::-1], z), 0)
    with xp.errstate(invalid="ignore"):
        value = result + xp.where(y == 10, _PSI_10, xp.log(y) - 0.5 / y - series)
        with xp.errstate(divide="ignore"):
            reflected = value - math.pi / xp.tan(math.pi * fraction)
    value = xp.where(negative, xp.where(fraction == 0, xp.nan, reflected), value)
    return xp.where(x == 0, xp.copysign(xp.inf, -x), value)


def trigamma(x):
    """ψ'(x) = Σₖ 1/(x + k)²: six terms, then the asymptotic series
    1/x + 1/(2x²) + 1/(6x³) - 1/(30x⁵) + 1/(42x⁷), and ψ'(1 - x) + ψ'(x) = π² / sin²(πx)
    for x < 1/2. The series is cut where torch cuts it (about 1e-10 relative) so that
    gradients agree with torch's."""
    xp, x = _float64(x)
    reflect = x < 0.5
    with xp.errstate(divide="ignore", invalid="ignore"):
        sine = xp.sin(math.pi * x)
        result = xp.where(reflect, -(math.pi * math.pi) / (sine * sine), 0)
        y = xp.where(reflect, 1 - x, x)
        for _ in range(6):
            result = result + 1 / (y * y)
            y = y + 1
        square = 1 / (y * y)
        result = result + (1 + 1 / (2 * y) + square * (1 / 6 - square * (
            1 / 30 - square * (1 / 42)))) / y
    return xp.where(reflect, -result, result)


def polygamma(n: int, x):
    """ψ⁽ⁿ⁾(x) = (-1)^(n+1) n! ζ(n + 1, x) for n >= 2; ψ and ψ' for n = 0 and 1."""
    if n == 0:
        return digamma(x)
    if n == 1:
        return trigamma(x)
    sign = 1.0 if n % 2 else -1.0
    return sign * math.exp(math.lgamma(n + 1.0)) * zeta(n + 1.0, x)


# ----------------------------------------------------------------------------- erfinv

# Giles' approximation of erfinv (float32 accuracy), the starting point of Newton's method
_CENTRAL = (1.50140941, 0.246640727, -0.00417768164, -0.00125372503, 0.00021858087,
            -4.39150654e-06, -3.5233877e-06, 3.43273939e-07, 2.81022636e-08)
_TAIL = (2.83297682, 1.00167406, 0.00943887047, -0.0076224613, 0.00573950773, -0.00367342844,
         0.00134934322, 0.000100950558, -0.000200214257)


def erfinv(x):
    """y with erf(y) = x: Giles' approximation, then Newton steps on erf(y) = x for
    |x| <= 1/2 and on log erfc(|y|) = log(1 - |x|) beyond (1 - |x| is exact there, and the
    logarithm keeps the steps well scaled in the far tail). ±1 give ±inf, |x| > 1 nan."""
    xp, x = _float64(x)
    inside = xp.abs(x) < 1
    a = xp.where(inside, xp.abs(x), 0.0)
    w = -xp.log((1 - a) * (1 + a))
    guess = xp.where(w < 5, _horner(_CENTRAL, w - 2.5), _horner(_TAIL, xp.sqrt(w) - 3)) * a
    slope = 2 / math.sqrt(math.pi)
    central = guess
    for _ in range(2):  # erf(y) - a = 0;  d/dy erf(y) = 2/√π e^(-y²)
        central = central - (erf(central) - a) / (slope * xp.exp(-central * central))
    tail = xp.where(a > 0.5, guess, 1.0)
    target = xp.log(xp.where(a > 0.5, 1 - a, 0.5))
    for _ in range(4):  # log erfc(y) - log(1 - a) = 0;  d/dy = -2/√π e^(-y²) / erfc(y)
        complement = erfc(tail)
        tail = tail + (xp.log(complement) - target) * complement / (
            slope * xp.exp(-tail * tail))
    y = xp.where(a > 0.5, tail, central)
    y = xp.where(inside, y, xp.where(xp.abs(x) == 1, xp.inf, xp.nan))
    return xp.copysign(y, x)
