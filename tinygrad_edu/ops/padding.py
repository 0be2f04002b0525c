"""Padding: grow a tensor at its borders (negative amounts crop).

`pads` holds one (before, after) pair per axis. Constant padding and cropping are each other's
adjoint, so the backward of a constant pad is a constant pad by the negated amounts. Reflect,
replicate and circular padding copy border elements; their backward folds each border's
gradient back onto the elements it was copied from.
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..autograd.raw_backward import once_differentiable
from ..backend import get_array_module


def _crop(array, pads):
    """Remove what negative pads ask to remove (a view)."""
    key = tuple(slice(-before if before < 0 else 0,
                      size + after if after < 0 else size)
                for size, (before, after) in zip(array.shape, pads))
    return array[key]


def _grow(array, pads, mode, value=0):
    """Apply the positive pads with NumPy's mode, then the negative ones (crops)."""
    xp = get_array_module(array)
    positive = [(max(before, 0), max(after, 0)) for before, after in pads]
    if any(before or after for before, after in positive):
        if mode == "constant":
            array = xp.pad(array, positive, mode="constant", constant_values=value)
        else:
            array = xp.pad(array, positive, mode=mode)
    if any(before < 0 or after < 0 for before, after in pads):
        array = xp.ascontiguousarray(_crop(array, [(min(b, 0), min(a, 0)) for b, a in pads]))
    return array


class ConstantPad(Primitive):
    """y = x surrounded by `value` (negative pads crop);  dx = dy with the pads undone"""

    node_name = "ConstantPadNdBackward0"

    @staticmethod
    def forward(ctx, x, *, pads, value):
        ctx.pads = pads
        out = _grow(x, pads, "constant", value)
        return out.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        undo = tuple((-before, -after) for before, after in ctx.pads)
        return ConstantPad.apply(grad_output, pads=undo, value=0)


def _axis(ndim, axis, index):
    key = [slice(None)] * ndim
    key[axis] = index
    return tuple(key)


class _CopyPad(Primitive):
    """Padding by copying existing elements (the subclasses name NumPy's mode and fold)."""

    numpy_mode = ""
    crop_first = False  # circular padding wraps around the cropped tensor, as torch does

    @classmethod
    def forward(cls, ctx, x, *, pads):
        ctx.pads, ctx.shape, ctx.fold, ctx.crop_first = pads, x.shape, cls.fold, cls.crop_first
        if cls.crop_first:
            x = _crop(x, [(min(b, 0), min(a, 0)) for b, a in pads])
            pads = [(max(b, 0), max(a, 0)) for b, a in pads]
        return _grow(x, pads, cls.numpy_mode)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        from ..tensor import Tensor  # noqa: PLC0415 - tensor.py imports the ops
        g = grad_output._data
        xp = get_array_module(g)
        positive = [(max(before, 0), max(after, 0)) for before, after in ctx.pads]
        negative = [(min(before, 0), min(after, 0)) for before, after in ctx.pads]
        if ctx.crop_first:  # fold the borders onto the cropped tensor, then put it back
            inner = [size + b + a for size, (b, a) in zip(ctx.shape, negative)]
            g = _fold_all(ctx.fold, xp, g, positive, inner)
            return Tensor._make(_uncrop(xp, g, ctx.shape, negative))
        full = [size + b + a for size, (b, a) in zip(ctx.shape, positive)]
        g = _uncrop(xp, g, full, negative)  # the cropped elements got no gradient
        return Tensor._make(_fold_all(ctx.fold, xp, g, positive, ctx.shape))


def _uncrop(xp, g, shape, negative):
    if tuple(g.shape) == tuple(shape):
        return g
    grad = xp.zeros(shape, dtype=g.dtype)
    _crop(grad, negative)[...] = g
    return grad


def _fold_all(fold, xp, g, positive, sizes):
    for axis, (before, after) in enumerate(positive):
        if before or after:
            g = fold(xp, g, axis, before, after, sizes[axis])
    return g


class ReflectionPad(_CopyPad):
    """y = x mirrored at its borders (the edge itself not repeated);
    dx = dy plus the mirrored border gradients"""

    numpy_mode = "reflect"

    @staticmethod
    def fold(xp, g, axis, before, after, n):
        nd = g.ndim
        center = g[_axis(nd, axis, slice(before, before + n))].copy()
        if before:  # padded position p came from element before - p
            center[_axis(nd, axis, slice(1, before + 1))] += xp.flip(
                g[_axis(nd, axis, slice(0, before))], axis)
        if after:  # padded position n + q came from element n - 2 - q
            center[_axis(nd, axis, slice(n - 1 - after, n - 1))] += xp.flip(
                g[_axis(nd, axis, slice(before + n, before + n + after))], axis)
        return center


class ReplicationPad(_CopyPad):
    """y = x with its edge elements repeated;  dx = dy plus each border's sum at the edges"""

    numpy_mode = "edge"

    @staticmethod
    def fold(xp, g, axis, before, after, n):
        nd = g.ndim
        center = g[_axis(nd, axis, slice(before, before + n))].copy()
        if before:
            center[_axis(nd, axis, slice(0, 1))] += g[_axis(nd, axis, slice(0, before))].sum(
                axis=axis, keepdims=True)
        if after:
            center[_axis(nd, axis, slice(n - 1, n))] += g[_axis(nd, axis, slice(
                before + n, None))].sum(axis=axis, keepdims=True)
        return center


class CircularPad(_CopyPad):
    """y = x with the opposite side wrapped around;  dx = dy plus the wrapped borders"""

    numpy_mode = "wrap"
    crop_first = True

    @staticmethod
    def fold(xp, g, axis, before, after, n):
        nd = g.ndim
        center = g[_axis(nd, axis, slice(before, before + n))].copy()
        if before:  # the left border is a copy of the last `before` elements
            center[_axis(nd, axis, slice(n - before, n))] += g[_axis(nd, axis,
                                                                     slice(0, before))]
        if after:
            center[_axis(nd, axis, slice(0, after))] += g[_axis(nd, axis, slice(
                before + n, before + n + after))]
        return center


def _named(base, name):
    return type(name, (base,), {"node_name": f"{name}Backward0", "__module__": __name__,
                                "__doc__": base.__doc__})


# torch names the node after the number of padded axes (ReflectionPad2DBackward0 ...)
REFLECTION = {n: _named(ReflectionPad, f"ReflectionPad{n}D") for n in (1, 2, 3)}
REPLICATION = {n: _named(ReplicationPad, f"ReplicationPad{n}D") for n in (1, 2, 3)}
