"""The adjoint of broadcasting is summation.

If x of shape (3, 1) was broadcast to (2, 3, 4) in the forward pass, each element of x was used
2 * 4 times, so its gradient is the sum of the (2, 3, 4) gradient over the broadcast axes.
"""
from __future__ import annotations


def unbroadcast(grad, shape: tuple):
    """Sum `grad` (a Tensor) down to `shape`; ValueError if `shape` does not broadcast to it."""
    grad_shape = grad.shape
    if tuple(grad_shape) == tuple(shape):
        return grad
    extra = len(grad_shape) - len(shape)
    if extra < 0:
        raise ValueError("gradient has fewer dimensions than its tensor")
    axes = list(range(extra))
    for axis, size in enumerate(shape):
        if size == 1 and grad_shape[axis + extra] != 1:
            axes.append(axis + extra)
        elif size != grad_shape[axis + extra]:
            raise ValueError("shapes are not broadcast-compatible")
    summed = grad.sum(dim=tuple(axes), keepdim=True) if axes else grad
    return summed.reshape(shape) if extra else summed
