"""Shape primitives: the same numbers, arranged differently.

Most of them are views (`is_view = True`): the output shares memory with the input, as in torch,
and the backward is the inverse rearrangement of the gradient. Options are keyword arguments, so
a view can be replayed on its base (used when a view is modified in place).
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..backend import device_of, get_array_module, reshape_view, to_device
from ..dtypes import from_numpy
from ._broadcast import unbroadcast


class View(Primitive):
    """y = x seen with another shape (no copy);  dx = dy reshaped back"""

    is_view = True

    @staticmethod
    def forward(ctx, x, *, shape):
        ctx.input_shape = x.shape
        return reshape_view(x, shape)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.reshape(ctx.input_shape)


class Unsqueeze(View):
    """y = x with a new axis of size 1;  dx = dy without it"""


class Permute(Primitive):
    """y = x with its axes reordered by `dims`;  dx = dy with the inverse order"""

    is_view = True

    @staticmethod
    def forward(ctx, x, *, dims):
        ctx.dims = dims
        return x.transpose(dims)

    @staticmethod
    def backward(ctx, grad_output):
        inverse = [0] * len(ctx.dims)
        for position, axis in enumerate(ctx.dims):
            inverse[axis] = position
        return grad_output.permute(*inverse)


class Transpose(Primitive):
    """y = x with axes dim0 and dim1 swapped;  dx = dy swapped back"""

    is_view = True

    @staticmethod
    def forward(ctx, x, *, dim0, dim1):
        ctx.dim0, ctx.dim1 = dim0, dim1
        return x.swapaxes(dim0, dim1)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.transpose(ctx.dim0, ctx.dim1)


class MatrixTranspose(Transpose):
    """y = xᵀ of a matrix (Tensor.t());  dx = dyᵀ"""

    node_name = "TBackward0"


class Expand(Primitive):
    """y = x broadcast to `shape` (a read-only view);  dx = dy summed over the broadcast axes"""

    is_view = True

    @staticmethod
    def forward(ctx, x, *, shape):
        ctx.input_shape = x.shape
        return get_array_module(x).broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, grad_output):
        return unbroadcast(grad_output, ctx.input_shape)


class Clone(Primitive):
    """y = a copy of x;  dx = dy"""

    @staticmethod
    def forward(ctx, x, *, order="K"):
        return x.copy(order=order)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


class ToCopy(Primitive):
    """y = x converted to another dtype and/or device;  dx = dy converted back"""

    @staticmethod
    def forward(ctx, x, *, dtype=None, device=None, copy=False):
        ctx.dtype, ctx.device = x.dtype, None
        y = x
        if device is not None:
            ctx.device = device_of(x)
            y = to_device(y, device)
        if dtype is not None and y.dtype != dtype:
            y = y.astype(dtype)
        elif copy and y is x:
            y = x.copy()
        return y

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.to(device=ctx.device, dtype=from_numpy(ctx.dtype))


