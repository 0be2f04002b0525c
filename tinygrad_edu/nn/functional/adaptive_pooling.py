"""Adaptive pooling: pooling to a fixed output size, whatever the input's size.

Output i along an axis of n elements summarizes the window [⌊i·n/o⌋, ⌈(i+1)·n/o⌉): windows
that differ in size and may overlap, so the kernels use index arrays (and, for the average,
averaging matrices) instead of pooling.py's strided taps, except when the windows are equal
and side by side.
"""
from __future__ import annotations

from ...autograd.primitive import Primitive
from ...autograd.raw_backward import once_differentiable
from ...backend import get_array_module
from ...functions.dtype_support import INTEGRAL, refuse
from ...tensor import Tensor
from ._args import check_tensor, wrap
from .pooling import _spread, _window_sums


def adaptive_windows(xp, size: int, output: int):
    """torch's windows for adaptive pooling: [⌊i·n/o⌋, ⌈(i+1)·n/o⌉) for output i."""
    index = xp.arange(output)
    start = (index * size) // output
    end = -((-(index + 1) * size) // output)
    return start, end


def _adaptive_size(name, input, output_size) -> tuple:
    check_tensor(input, name)
    if input._data.ndim not in (3, 4):
        separator = ": " if name == "adaptive_max_pool2d" else " "
        raise RuntimeError(f"{name}(): Expected 3D or 4D tensor, but got{separator}"
                           f"{list(input.shape)}")
    if isinstance(output_size, (tuple, list)):
        if len(output_size) != 2:
            raise RuntimeError(f"{name}: output_size must be 2")
        sizes = output_size
    else:
        sizes = (output_size, output_size)
    # None keeps the input's size along that axis
    return tuple(n if o is None else int(o) for o, n in zip(sizes, input._data.shape[-2:]))


# ----------------------------------------------------------------------------- average

class AdaptiveAvgPool2d(Primitive):
    """y = A_h @ x @ A_wᵀ, where row i of A averages window i (adaptive windows);
    dx = A_hᵀ @ dy @ A_w.  Equal windows side by side: a reshape and a mean instead."""

    node_name = "AdaptiveAvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, *, output_size):
        xp = get_array_module(x)
        ctx.x_shape = x.shape
        if all(o and n % o == 0 for n, o in zip(x.shape[-2:], output_size)):
            kernel = tuple(n // o for n, o in zip(x.shape[-2:], output_size))
            ctx.kernel, ctx.matrices = kernel, None
            total = _window_sums(x, kernel, kernel, (0, 0), output_size)
            return (total / (kernel[0] * kernel[1])).astype(x.dtype, copy=False)
        rows, cols = (_averaging_matrix(xp, n, o, x.dtype)
                      for n, o in zip(x.shape[-2:], output_size))
        ctx.matrices = (rows, cols)
        return rows @ (x @ cols.T)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        g = grad_output._data
        if ctx.matrices is None:  # equal windows side by side: as avg_pool2d
            (kh, kw), size = ctx.kernel, g.shape[-2:]
            return wrap(_spread(g / (kh * kw), ctx.x_shape, ctx.kernel, ctx.kernel, (0, 0),
                                 size))
        rows, cols = ctx.matrices
        return wrap(rows.T @ (g @ cols))


def _averaging_matrix(xp, size, output, dtype):
    start, end = adaptive_windows(xp, size, output)
    position = xp.arange(size)
    inside = (position >= start[:, None]) & (position < end[:, None])
    return (inside / (end - start)[:, None]).astype(dtype)


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """Average pooling to a fixed output size; window i spans [⌊i·n/o⌋, ⌈(i+1)·n/o⌉)."""
    size = _adaptive_size("adaptive_avg_pool2d", input, output_size)
    if size == (1, 1):  # global average pooling: a mean, as torch computes it
        return input.mean((-2, -1), keepdim=True)
    refuse(input, "adaptive_avg_pool2d", INTEGRAL)
    return AdaptiveAvgPool2d.apply(input, output_size=size)


# ----------------------------------------------------------------------------- max

class AdaptiveMaxPool2d(Primitive):
    """y = the largest element of each adaptive window (the first one on ties) and its flat
    index;  dx = dy added at that element"""

    node_name = "AdaptiveMaxPool2DBackward0"

    @staticmethod
    def forward(ctx, x, *, output_size):
        xp = get_array_module(x)
        h, w = x.shape[-2:]
        # window positions, padded to the longest window by repeating each window's last
        # element (a repeat is never a new, earlier maximum)
        rows, cols = (_window_positions(xp, n, o) for n, o in zip((h, w), output_size))
        gathered = x[..., rows, :][..., cols]          # (..., OH, Kh, OW, Kw)
        kh, kw = rows.shape[1], cols.shape[1]
        best = gathered[..., :, 0, :, 0].copy()
        winner = xp.zeros(best.shape, dtype=xp.int32)
        for k in range(1, kh * kw):
            tap = gathered[..., :, k // kw, :, k % kw]
            winner += (k - winner) * (tap > best)  # as in MaxPool2d
            xp.maximum(best, tap, out=best)
        index = _adaptive_indices(xp, winner, rows, cols, w)
        ctx.save_for_backward(index)
        ctx.x_shape = x.shape
        return best, index

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output, grad_indices=None):
        g, index = grad_output._data, ctx.saved_tensors[0]._data
        xp = get_array_module(g)
        h, w = ctx.x_shape[-2:]
        planes = 1
        for size in g.shape[:-2]:
            planes *= size
        flat = index.reshape(planes, g.shape[-2] * g.shape[-1]) + \
            (xp.arange(planes) * (h * w))[:, None]
        # bincount adds up the gradients of elements that win in several windows
        grad = xp.bincount(flat.ravel(), weights=g.ravel(), minlength=planes * h * w)
        return wrap(grad.astype(g.dtype, copy=False).reshape(ctx.x_shape))


def _window_positions(xp, size, output):
    start, end = adaptive_windows(xp, size, output)
    # the longest window, from the sizes (asking the array would copy it from a GPU)
    longest = max((-((-(i + 1) * size) // output) - (i * size) // output
                   for i in range(output)), default=1)
    positions = start[:, None] + xp.arange(longest)[None, :]
    return xp.minimum(positions, end[:, None] - 1)


def _adaptive_indices(xp, winner, rows, cols, width):
    """Flat index (row * W + column) of each window's maximum in the input plane."""
    kw = cols.shape[1]
    row = rows[xp.arange(rows.shape[0])[:, None], winner // kw]
    col = cols[xp.arange(cols.shape[0])[None, :], winner % kw]
    return (row * width + col).astype(xp.int64)


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    """Max pooling to a fixed output size (adaptive windows, as adaptive_avg_pool2d)."""
    size = _adaptive_size("adaptive_max_pool2d", input, output_size)
    refuse(input, "adaptive_max_pool2d", INTEGRAL)
    values, indices = AdaptiveMaxPool2d.apply(input, output_size=size)
    return (values, indices) if return_indices else values
