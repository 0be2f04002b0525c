"""Piecewise primitives: functions that choose between values, element by element.

Their derivatives are 0 or 1 (or a share of 1 at a tie) depending on which branch each element
took; at a kink (|x| at 0, clamp at a bound, a tie in maximum) the value used is torch's choice,
written in each docstring. Also here: the rounding functions, whose derivative is 0 almost
everywhere, and the ops that write given values (fill, copy).
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..backend import get_array_module


def _xp(x):
    return get_array_module(x)


# ----------------------------------------------------------------------------- piecewise

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
    """y = sign(x);  dx = 0  (sign(nan) = 0 and a bool is its own sign, as torch has them)"""

    @staticmethod
    def forward(ctx, x):
        xp = _xp(x)
        if x.dtype.kind != "f":
            return x.copy() if x.dtype.kind == "b" else xp.sign(x)
        return xp.where(x != x, x.dtype.type(0), xp.sign(x))


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
