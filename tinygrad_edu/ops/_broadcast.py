"""The adjoint of broadcasting is summation.

If x of shape (3, 1) was broadcast to (2, 3, 4) in the forward pass, each element of x was used
2 * 4 times, so its gradient is the sum of the (2, 3, 4) gradient over the broadcast axes.
"""
from __future__ import annotations


def broadcast_shapes(*shapes) -> tuple:
    """torch.broadcast_shapes, with torch's error naming the two sizes that clash."""
    ndim = max((len(s) for s in shapes), default=0)
    result = [1] * ndim
    for which, shape in enumerate(shapes):
        for axis in reversed(range(ndim - len(shape), ndim)):  # torch reports the last clash
            size = shape[axis - ndim + len(shape)]
            if size == result[axis] or size == 1:
                continue
            if result[axis] == 1:
                result[axis] = size
                continue
            if which == 1:
                raise RuntimeError(f"The size of tensor a ({result[axis]}) must match the size "
                                   f"of tensor b ({size}) at non-singleton dimension {axis}")
            raise RuntimeError("shape mismatch: objects cannot be broadcast to a single shape.  "
                               f"Mismatch is between arg 0 and arg {which}.")
    return tuple(result)


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
