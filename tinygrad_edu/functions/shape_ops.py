"""Movement primitives of the torch surface beyond the core's (ops/movement.py): copies that
rearrange elements (flip, roll, repeat). The functions that check arguments and call them are in
shape.py.
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..backend import get_array_module
from ..ops.movement import View


class Flip(Primitive):
    """y = x reversed along dims (a copy, as torch);  dx = dy reversed back"""

    @staticmethod
    def forward(ctx, x, *, dims):
        ctx.dims = dims
        return get_array_module(x).flip(x, dims).copy()

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.flip(ctx.dims)


class Roll(Primitive):
    """y = x shifted cyclically by `shifts` along dims;  dx = dy shifted back"""

    @staticmethod
    def forward(ctx, x, *, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return get_array_module(x).roll(x, shifts, dims)

    @staticmethod
    def backward(ctx, grad_output):
        shifts = tuple(-s for s in ctx.shifts) if ctx.dims is not None else -ctx.shifts
        return grad_output.roll(shifts, ctx.dims)


class Repeat(Primitive):
    """y = x tiled `repeats` times along each axis;  dx = Σ of dy over the tiles"""

    @staticmethod
    def forward(ctx, x, *, repeats):
        ctx.input_shape, ctx.repeats = x.shape, repeats
        return get_array_module(x).tile(x, repeats)

    @staticmethod
    def backward(ctx, grad_output):
        shape = (1,) * (grad_output.ndim - len(ctx.input_shape)) + tuple(ctx.input_shape)
        split = []  # view each axis of size r*s as (r, s) and sum the r copies away
        for size, count in zip(shape, ctx.repeats):  # (r from the sizes fails when s is 0)
            split += [count, size]
        summed = grad_output.reshape(split).sum(dim=tuple(range(0, len(split), 2)))
        return summed.reshape(ctx.input_shape)


class Stack(Primitive):
    """y = [x1, x2, …] stacked along a new axis dim;  dx_i = dy[…, i, …]"""

    @staticmethod
    def forward(ctx, *xs, dim):
        ctx.dim = dim
        return get_array_module(xs[0]).stack(xs, axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        return tuple(grad_output.select(ctx.dim, i) if needed else None
                     for i, needed in enumerate(ctx.needs_input_grad))


class Squeeze(View):
    """y = x without axes of size 1;  dx = dy with them put back"""


class SqueezeDim(View):
    """y = x without the given axis of size 1;  dx = dy with it put back"""

    node_name = "SqueezeBackward1"


class SqueezeDims(View):
    """y = x without the given axes of size 1;  dx = dy with them put back"""

    node_name = "SqueezeBackward2"


class Cat(Primitive):
    """y = [x1; x2; …] joined along dim;  dx_i = the slice of dy where x_i went"""

    @staticmethod
    def forward(ctx, *xs, dim):
        ctx.sizes, ctx.dim = [x.shape[dim] for x in xs], dim
        return get_array_module(xs[0]).concatenate(xs, axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        grads, start = [], 0
        for size, needed in zip(ctx.sizes, ctx.needs_input_grad):
            grads.append(grad_output.narrow(ctx.dim, start, size) if needed else None)
            start += size
        return tuple(grads)
