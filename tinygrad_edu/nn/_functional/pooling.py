"""Pooling with torch's signatures, output sizes (ceil_mode) and checks; math in ops/pooling.py."""
from __future__ import annotations

from ...ops import pooling as pool
from ...tensor import Tensor
from ._args import check_tensor, int_tuple


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


# ----------------------------------------------------------------------------- max

def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False):
    """The maximum of each kernel_size window; with return_indices, also its flat index
    (row * W + column) in the input plane, as torch returns it."""
    kernel, stride, padding, dilation, out = _pool_arguments(
        "max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode)
    return pool.MaxPool2d.apply(input, kernel_size=kernel, stride=stride, padding=padding,
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
    result = max_pool2d(input.unsqueeze(-2), (1, _one(kernel_size)),
                        None if stride is None or stride == [] else (1, _one(stride)),
                        (0, _one(padding)), (1, _one(dilation)), ceil_mode, return_indices)
    if return_indices:
        return result[0].squeeze(-2), result[1].squeeze(-2)
    return result.squeeze(-2)


def _one(value):
    return value[0] if isinstance(value, (tuple, list)) else value


# ----------------------------------------------------------------------------- average

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
    return pool.AvgPool2d.apply(input, kernel_size=kernel, stride=stride, padding=padding,
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


# ----------------------------------------------------------------------------- adaptive

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


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """Average pooling to a fixed output size; window i spans [⌊i·n/o⌋, ⌈(i+1)·n/o⌉)."""
    size = _adaptive_size("adaptive_avg_pool2d", input, output_size)
    if size == (1, 1):  # global average pooling: a mean, as torch computes it
        return input.mean((-2, -1), keepdim=True)
    return pool.AdaptiveAvgPool2d.apply(input, output_size=size)


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    """Max pooling to a fixed output size (adaptive windows, as adaptive_avg_pool2d)."""
    size = _adaptive_size("adaptive_max_pool2d", input, output_size)
    values, indices = pool.AdaptiveMaxPool2d.apply(input, output_size=size)
    return (values, indices) if return_indices else values
