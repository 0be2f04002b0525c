"""max and average pooling: summarize each window of an image by its maximum or its mean.

Inputs are (N, C, H, W) or (C, H, W); the functions compute the output size (ceil_mode
included) as torch does, so every kernel receives `output_size`. Windows are visited the way a
convolution visits them, one kernel offset (i, j) at a time: `_tap(array, i, j)` is the strided
view of the element at offset (i, j) of every window, so a 2x2 pool is four whole-array
operations, never a loop over pixels. Backward adds each tap's gradient back through the same
view. Adaptive pooling is in adaptive_pooling.py.
"""
from __future__ import annotations

import math

from ...autograd.primitive import Primitive
from ...autograd.raw_backward import once_differentiable
from ...backend import get_array_module
from ...functions.dtype_support import INTEGRAL, INTEGRAL_BUT_LONG, refuse
from ...tensor import Tensor
from ._args import check_tensor, int_tuple, wrap


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


# ----------------------------------------------------------------------------- arguments

def _output_size(size, kernel, stride, pad, dilation, ceil_mode) -> int:
    """torch's pooling_output_shape: the last window must start inside the input or its left
    padding (a ceil_mode window may hang over the right edge)."""
    span = size + 2 * pad - dilation * (kernel - 1) - 1 + (stride - 1 if ceil_mode else 0)
    out = span // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def _pool_arguments(name, input, kernel_size, stride, padding, dilation, ceil_mode):
    check_tensor(input, name)
    if isinstance(kernel_size, (tuple, list)) and len(kernel_size) not in (1, 2):
        raise RuntimeError(f"{name}: kernel_size must either be a single int, or a tuple of two "
                           "ints")
    kernel = int_tuple(kernel_size, 2, name, "kernel_size")
    stride = kernel if stride is None or stride == [] or stride == () else \
        int_tuple(stride, 2, name, "stride")
    padding = int_tuple(padding, 2, name, "padding")
    dilation = int_tuple(dilation, 2, name, "dilation")
    if min(stride) <= 0:
        raise RuntimeError("stride should not be zero")
    if min(kernel) <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {kernel[0]} "
                           f"kW: {kernel[1]}")
    if min(dilation) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilationH: "
                           f"{dilation[0]} dilationW: {dilation[1]}")
    for k, p, d in zip(kernel, padding, dilation):
        if p < 0 or p > ((k - 1) * d + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                               f"pad={p}, kernel_size={k} and dilation={d}")
    if padding[0] > kernel[0] // 2 or padding[1] > kernel[1] // 2:  # torch's second check
        raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got "
                           f"padW = {padding[1]}, padH = {padding[0]}, kW = {kernel[1]}, "
                           f"kH = {kernel[0]}")
    if input._data.ndim not in (3, 4) or input._data.size == 0 and input._data.shape[-3] == 0:
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    shape = input._data.shape
    out = tuple(_output_size(n, k, s, p, d, ceil_mode)
                for n, k, s, p, d in zip(shape[-2:], kernel, stride, padding, dilation))
    if any(o < 1 for o in out):
        raise RuntimeError(f"Given input size: ({shape[-3]}x{shape[-2]}x{shape[-1]}). Calculated "
                           f"output size: ({shape[-3]}x{out[0]}x{out[1]}). Output size is too "
                           "small")
    return kernel, stride, padding, dilation, out


def _one(value):
    return value[0] if isinstance(value, (tuple, list)) else value


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


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False):
    """The maximum of each kernel_size window; with return_indices, also its flat index
    (row * W + column) in the input plane, as torch returns it."""
    kernel, stride, padding, dilation, out = _pool_arguments(
        "max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode)
    refuse(input, "max_pool2d")
    return MaxPool2d.apply(input, kernel_size=kernel, stride=stride, padding=padding,
                                dilation=dilation, output_size=out, with_indices=return_indices)


def max_pool1d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False):
    """max_pool2d over a height of 1, as torch computes it."""
    check_tensor(input, "max_pool1d")
    if input._data.ndim not in (2, 3):
        raise RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 "
                           f"dim batch size for input, but got:{list(input.shape)}")
    if not return_indices:  # torch's own 1-d checks come first on this path
        kernel, pad = _one(kernel_size), _one(padding)
        stride_1d = kernel if stride is None or stride == [] else _one(stride)
        if pad > kernel // 2:
            raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but "
                               f"got padding={pad} and kernel_size={kernel}")
        out = _output_size(input._data.shape[-1], kernel, stride_1d, pad, _one(dilation),
                           ceil_mode) if kernel > 0 and stride_1d > 0 else 1
        if out < 1:
            raise RuntimeError(f"max_pool1d() Invalid computed output size: {out}")
        refuse(input, "max_pool1d_impl", INTEGRAL)
    result = max_pool2d(input.unsqueeze(-2), (1, _one(kernel_size)),
                        None if stride is None or stride == [] else (1, _one(stride)),
                        (0, _one(padding)), (1, _one(dilation)), ceil_mode, return_indices)
    if return_indices:
        return result[0].squeeze(-2), result[1].squeeze(-2)
    return result.squeeze(-2)


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


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """The mean of each window; the divisor counts padding unless count_include_pad=False,
    or is divisor_override."""
    check_tensor(input, "avg_pool2d")
    if input._data.ndim == 2:  # torch fails on the channel dim of a 2-d input
        raise IndexError("Dimension out of range (expected to be in range of [-2, 1], but got "
                         "-3)")
    kernel, stride, padding, _, out = _pool_arguments(
        "avg_pool2d", input, kernel_size, stride, padding, 1, ceil_mode)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    refuse(input, "avg_pool2d", INTEGRAL_BUT_LONG)
    return AvgPool2d.apply(input, kernel_size=kernel, stride=stride, padding=padding,
                                output_size=out, count_include_pad=count_include_pad,
                                divisor_override=divisor_override)


def avg_pool1d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """avg_pool2d over a height of 1, as torch computes it."""
    check_tensor(input, "avg_pool1d")
    if input._data.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input._data.ndim}-dimensional "
                           "tensor for argument #1 'self' (while checking arguments for "
                           "avg_pool1d)")
    out = avg_pool2d(input.unsqueeze(-2), (1, _one(kernel_size)),
                     None if stride is None or stride == [] else (1, _one(stride)),
                     (0, _one(padding)), ceil_mode, count_include_pad)
    return out.squeeze(-2)
