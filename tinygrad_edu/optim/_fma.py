"""A fused multiply-add, a·b + c with one rounding, for arrays that have no fma of their own.

torch's `x.add_(y, alpha=a)` on a CPU with fma units (x86's AVX2) is one fma instruction per
element (x + a·y rounded once); NumPy would round a·y first and then the sum. LBFGS updates its
direction with such adds a hundred times per iteration: to follow torch to the bit it needs them.

The emulation is Boldo and Melquiond's ("Emulation of FMA and correctly rounded sums: proved
algorithms using rounding to odd", IEEE Trans. Computers 2008), in three error-free steps:
    a·b = p + e        exactly (Veltkamp's split of a and b into halves, Dekker's product)
    p + c = s + t      exactly (Knuth's two-sum)
    result = RN(s + RO(t + e))      RO: round to odd, emulated from a two-sum's error
It is exact for finite operands whose product neither overflows nor underflows.
"""
from __future__ import annotations

from ..backend import get_array_module


def fused_multiply_add(a, b: float, c):
    """RN(a·b + c) elementwise for float arrays `a`, `c` and a scalar `b`, in `c`'s dtype."""
    xp = get_array_module(c)
    a = xp.asarray(a, dtype=c.dtype)
    b = c.dtype.type(b)
    product, product_error = _two_product(xp, a, b)
    head, tail = _two_sum(product, c)
    return head + _add_round_to_odd(xp, tail, product_error)


def _two_sum(x, y):
    """s = RN(x + y) and its rounding error t, so that x + y = s + t exactly (Knuth)."""
    s = x + y
    x_part = s - y
    y_part = s - x_part
    return s, (x - x_part) + (y - y_part)


def _split(x, splitter):
    """x = high + low with each half holding half the mantissa's bits (Veltkamp)."""
    scaled = x * splitter
    high = scaled - (scaled - x)
    return high, x - high


def _two_product(xp, a, b):
    """p = RN(a·b) and its rounding error e, so that a·b = p + e exactly (Dekker)."""
    digits = xp.finfo(a.dtype).nmant + 1  # 53 for float64, 24 for float32
    splitter = a.dtype.type(2 ** ((digits + 1) // 2) + 1)
    product = a * b
    a_high, a_low = _split(a, splitter)
    b_high, b_low = _split(b, splitter)
    error = ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low
    return product, error


def _add_round_to_odd(xp, x, y):
    """x + y rounded to the neighbour whose last mantissa bit is 1 when it is not exact: the
    round-to-nearest sum, moved one step towards the exact sum if it was inexact and even."""
    total, error = _two_sum(x, y)
    bits = total.view(f"int{8 * total.dtype.itemsize}")
    move = (error != 0) & ((bits & 1) == 0)
    towards = xp.where(error > 0, xp.inf, -xp.inf).astype(total.dtype)
    return xp.where(move, xp.nextafter(total, towards), total)
