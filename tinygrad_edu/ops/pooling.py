"""Pooling: summarize each window of an image by its maximum or its mean.

Inputs are (N, C, H, W) or (C, H, W); the functional layer computes the output size
(ceil_mode included), so every primitive receives `output_size`. Windows are visited the way a
convolution visits them, one kernel offset (i, j) at a time: `_tap(array, i, j)` is the strided
view of the element at offset (i, j) of every window, so a 2x2 pool is four whole-array
operations, never a loop over pixels. Backward adds each tap's gradient back through the same
view. Adaptive pooling, whose windows differ in size, uses index arrays instead.
"""
from __future__ import annotations

import math

from ..autograd.primitive import Primitive, wrap
from ..autograd.raw_backward import once_differentiable
from ..backend import get_array_module


def _tap(array, i, j, stride, dilation, output_size):
    """The element at kernel offset (i, j) of every window: a strided view (OH, OW)."""
    (sh, sw), (dh, dw), (oh, ow) = stride, dilation, output_size
    return array[..., i * dh:i * dh + sh * (oh - 1) + 1:sh, j * dw:j * dw + sw * (ow - 1) + 1:sw]


def _padded(x, padding, kernel_size, stride, dilation, output_size, fill):
    """x inside a border of `fill`, large enough for every window (ceil_mode windows may run
    past the padding); x itself when no border is needed."""
    (ph, pw), (h, w) = padding, x.shape[-2:]
    rows = max((output_size[0] - 1) * stride[0] + (kernel_size[0] - 1) * dilation[0] + 1, ph + h)
    cols = max((output_size[1] - 1) * stride[1] + (kernel_size[1] - 1) * dilation[1] + 1, pw + w)
    if (ph, pw) == (0, 0) and (rows, cols) == (h, w):
        return x
    xp = get_array_module(x)
    out = xp.full(x.shape[:-2] + (rows, cols), fill, dtype=x.dtype)
    out[..., ph:ph + h, pw:pw + w] = x
    return out


def _unpadded(grad, padding, shape):
    """The gradient of the input itself, cut from the padded one (a contiguous copy)."""
    if grad.shape == tuple(shape):
        return grad
    (ph, pw), (h, w) = padding, shape[-2:]
    return grad[..., ph:ph + h, pw:pw + w].copy()


def _lowest(xp, dtype):
    return -math.inf if dtype.kind == "f" else xp.iinfo(dtype).min


# ----------------------------------------------------------------------------- max

class MaxPool2d(Primitive):
    """y = the largest element of each window (the first one on ties, as torch) and, with
    return_indices, its flat index in the input plane;  dx = dy added at that element"""

    node_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, *, kernel_size, stride, padding, dilation, output_size, with_indices):
        xp = get_array_module(x)
        source = _padded(x, padding, kernel_size, stride, dilation, output_size,
                         _lowest(xp, x.dtype))
        kh, kw = kernel_size
        best = _tap(source, 0, 0, stride, dilation, output_size).copy()
        winner = xp.zeros(best.shape, dtype=xp.int8 if kh * kw < 128 else xp.int32)
        for k in range(1, kh * kw):
            tap = _tap(source, k // kw, k % kw, stride, dilation, output_size)
            better = tap > best  # strictly: an equal value later in the window does not win
            # k where better: k only grows, so a maximum does it (NumPy's masked writes and
            # where() are ~40x slower on random masks)
            xp.maximum(winner, better * winner.dtype.type(k), out=winner)
            xp.maximum(best, tap, out=best)
        ctx.save_for_backward(winner)  # which tap won in each window
        ctx.geometry = (x.shape, source.shape, kernel_size, stride, padding, dilation,
                        output_size)
        if not with_indices:
            return best
        return best, _flat_indices(xp, winner, x.shape[-1], kernel_size, stride, padding,
                                   dilation, output_size)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output, grad_indices=None):
        x_shape, source_shape, (kh, kw), stride, (ph, pw), dilation, output_size = ctx.geometry
        g, winner = grad_output._data, ctx.saved_tensors[0]._data
        xp = get_array_module(g)
        grad = xp.zeros(source_shape, dtype=g.dtype)
        dilated = [(k - 1) * d + 1 for k, d in zip((kh, kw), dilation)]
        disjoint = all(s >= k for s, k in zip(stride, dilated))  # each element in one window
        for k in range(kh * kw):
            target = _tap(grad, k // kw, k % kw, stride, dilation, output_size)
            if disjoint:
                xp.multiply(g, winner == k, out=target)
            else:
                target += g * (winner == k)
        return wrap(_unpadded(grad, (ph, pw), x_shape))


def _flat_indices(xp, winner, width, kernel_size, stride, padding, dilation, output_size):
    """torch's indices: row * W + column of each window's maximum, in the unpadded input."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (oh, ow) = (kernel_size, stride, padding, dilation,
                                                         output_size)
    first = (xp.arange(oh) * sh - ph)[:, None] * width + (xp.arange(ow) * sw - pw)[None, :]
    offset = (xp.arange(kh) * dh)[:, None] * width + (xp.arange(kw) * dw)[None, :]
    return first + offset.reshape(-1)[winner]


# ----------------------------------------------------------------------------- average

class AvgPool2d(Primitive):
    """y = Σ window / divisor (the window's size, its part inside the input, or an override);
    dx = dy / divisor spread over each window"""

    node_name = "AvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, *, kernel_size, stride, padding, output_size, count_include_pad,
                divisor_override):
        xp = get_array_module(x)
        divisor = _divisor(xp, x.shape[-2:], kernel_size, stride, padding, output_size,
                           count_include_pad, divisor_override, x.dtype)
        ctx.geometry = (x.shape, kernel_size, stride, padding, output_size, divisor)
        total = _window_sums(x, kernel_size, stride, padding, output_size)
        return (total / divisor).astype(x.dtype, copy=False)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        x_shape, kernel_size, stride, padding, output_size, divisor = ctx.geometry
        return wrap(_spread(grad_output._data / divisor, x_shape, kernel_size, stride, padding,
                             output_size))


def _window_sums(x, kernel_size, stride, padding, output_size):
    """Σ of each window: one strided add per kernel offset, row by row as torch adds them up.
    Windows that are whole bands of rows are one contiguous reduction instead (NumPy sums
    short strided axes very slowly: 30x slower than the adds, measured)."""
    (kh, kw), oh = kernel_size, output_size[0]
    if _bands(x.shape, kernel_size, stride, padding, output_size):
        return x[..., :oh * kh, :].reshape(x.shape[:-2] + (oh, kh * kw)).sum(axis=-1)[..., None]
    source = _padded(x, padding, kernel_size, stride, (1, 1), output_size, 0)
    total = _tap(source, 0, 0, stride, (1, 1), output_size).copy()
    for k in range(1, kh * kw):
        total += _tap(source, k // kw, k % kw, stride, (1, 1), output_size)
    return total


def _spread(g, x_shape, kernel_size, stride, padding, output_size):
    """The adjoint of _window_sums: each window's g added to every element of the window."""
    xp = get_array_module(g)
    (kh, kw), (oh, ow), (h, w) = kernel_size, output_size, x_shape[-2:]
    if _bands(x_shape, kernel_size, stride, padding, output_size):
        bands = xp.broadcast_to(g, g.shape[:-1] + (kh * kw,))
        bands = bands.reshape(g.shape[:-2] + (oh * kh, kw))
        grad = xp.zeros(x_shape, dtype=g.dtype)  # rows below the last window get nothing
        grad[..., :oh * kh, :] = bands
        return grad
    rows = max((oh - 1) * stride[0] + kh, padding[0] + h)
    cols = max((ow - 1) * stride[1] + kw, padding[1] + w)
    grad = xp.zeros(x_shape[:-2] + (rows, cols), dtype=g.dtype)
    for k in range(kh * kw):
        _tap(grad, k // kw, k % kw, stride, (1, 1), output_size)[...] += g
    return _unpadded(grad, padding, x_shape)


def _bands(shape, kernel_size, stride, padding, output_size) -> bool:
    """Are the windows whole bands of rows, side by side (avg_pool2d(x, 4) on 4x4 images)?"""
    return (tuple(kernel_size) == tuple(stride) and tuple(padding) == (0, 0)
            and output_size[1] == 1 and kernel_size[1] == shape[-1]
            and output_size[0] * kernel_size[0] <= shape[-2])


def _divisor(xp, size, kernel_size, stride, padding, output_size, count_include_pad,
             divisor_override, dtype):
    """A number, or an (OH, OW) array when windows at the border count fewer elements.
    Counted in Python: a few dozen integers per axis."""
    if divisor_override:
        return divisor_override
    counts = []
    for n, k, s, p, o in zip(size, kernel_size, stride, padding, output_size):
        starts = [i * s - p for i in range(o)]
        ends = [min(start + k, n + p) for start in starts]  # ceil_mode windows may overhang
        if count_include_pad:
            counts.append([end - start for start, end in zip(starts, ends)])
        else:
            counts.append([min(end, n) - max(start, 0) for start, end in zip(starts, ends)])
    (kh, kw), (rows, cols) = kernel_size, counts
    if all(c == kh for c in rows) and all(c == kw for c in cols):
        return kh * kw  # every window full: a number
    return xp.asarray(rows, dtype=dtype)[:, None] * xp.asarray(cols, dtype=dtype)


# ----------------------------------------------------------------------------- adaptive

def adaptive_windows(xp, size: int, output: int):
    """torch's windows for adaptive pooling: [⌊i·n/o⌋, ⌈(i+1)·n/o⌉) for output i."""
    index = xp.arange(output)
    start = (index * size) // output
    end = -((-(index + 1) * size) // output)
    return start, end


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
