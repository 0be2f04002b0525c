"""3-d pooling, 1-d and 3-d adaptive pooling and power-average pooling, composed from pooling.py's
and adaptive_pooling.py's 2-d kernels (no new backward).

A window of a 3-d pooling is a box: depth × height × width. The maximum over a box is the maximum
over its depth of the maxima over its (height, width) rectangles, and so is a sum. So a 3-d
pooling is two 2-d ones: first over (H, W) in every depth plane, then over depth, with the
pooled (H, W) plane flattened into the last axis and a (k, 1) window:

    max_pool3d(x) = max over depth of max_pool2d over (H, W)     (the same for sums and averages)

The first maximum in (depth, row, column) order wins ties, as in torch: the depth stage picks the
first depth among equal maxima, and each plane's own first maximum. Indices (flat positions
d·H·W + h·W + w) combine the two stages' indices. 1-d pooling is 2-d pooling over a height of 1.
"""
from __future__ import annotations

import math

from ...backend import get_array_module
from ...functions.dtype_support import INTEGRAL, INTEGRAL_BUT_LONG, refuse
from ...tensor import Tensor
from ._args import check_tensor, int_tuple
from ._python_args import check_python_tensor
from .adaptive_pooling import AdaptiveAvgPool2d, AdaptiveMaxPool2d, adaptive_avg_pool2d
from .adaptive_pooling import adaptive_max_pool2d as _adaptive_max_pool2d
from .pooling import AvgPool2d, MaxPool2d, _divisor, _output_size, avg_pool1d, avg_pool2d
from .pooling import max_pool1d as _max_pool1d
from .pooling import max_pool2d as _max_pool2d

__all__ = ["adaptive_avg_pool1d", "adaptive_avg_pool3d", "adaptive_max_pool1d",
           "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
           "adaptive_max_pool3d", "adaptive_max_pool3d_with_indices", "avg_pool3d",
           "lp_pool1d", "lp_pool2d", "lp_pool3d", "max_pool1d_with_indices",
           "max_pool2d_with_indices", "max_pool3d", "max_pool3d_with_indices"]


def _depth_last(x: Tensor, planes) -> Tensor:
    """(..., D, OH, OW) as (..., D, OH·OW): the depth stage pools rows of this matrix."""
    return x.reshape(tuple(x.shape[:-3]) + (x.shape[-3], planes))


def _combined_indices(plane_indices: Tensor, depth_indices: Tensor, size) -> Tensor:
    """d·H·W + (h·W + w): the depth stage's row d picks the plane stage's index at that depth."""
    xp = get_array_module(depth_indices._data)
    flat = plane_indices._data.reshape(depth_indices._data.shape[:-2] + (-1,) +
                                       depth_indices._data.shape[-1:])
    columns = depth_indices._data.shape[-1]
    depth = depth_indices._data // columns
    within = xp.take_along_axis(flat, depth, axis=-2)
    return Tensor._make(depth * (size[1] * size[2]) + within)


# ----------------------------------------------------------------------------- 3-d windows

def _pool3d_arguments(name, input, kernel_size, stride, padding, dilation, ceil_mode):
    """torch's checks for 3-d pooling, in its words; the geometry per axis and output size."""
    check_tensor(input, name)
    single = "must be a single int" if name == "avg_pool3d" else "must either be a single int"
    if isinstance(kernel_size, (tuple, list)) and len(kernel_size) not in (1, 3):
        raise RuntimeError(f"{name}: kernel_size {single}, or a tuple of three ints")
    kernel = int_tuple(kernel_size, 3, name, "kernel_size")
    stride = kernel if stride is None or stride == [] or stride == () else \
        int_tuple(stride, 3, name, "stride")
    padding, dilation = int_tuple(padding, 3, name, "padding"), int_tuple(dilation, 3, name,
                                                                          "dilation")
    if min(stride) <= 0:
        raise RuntimeError("stride should not be zero")
    if min(kernel) <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kT: {kernel[0]} "
                           f"kH: {kernel[1]} kW: {kernel[2]}")
    if min(dilation) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilationT: "
                           f"{dilation[0]} dilationH: {dilation[1]} dilationW: {dilation[2]}")
    if input.dim() not in (4, 5) or input.numel() == 0:
        raise RuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input")
    for k, p, d in zip(kernel, padding, dilation):
        if p < 0 or p > ((k - 1) * d + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                               f"pad={p}, kernel_size={k} and dilation={d}")
    size = tuple(input.shape[-3:])
    if name == "avg_pool3d" and any(n < k for n, k in zip(size, kernel)):  # padding not counted
        raise RuntimeError(f"input image (T: {size[0]} H: {size[1]} W: {size[2]}) smaller than "
                           f"kernel size (kT: {kernel[0]} kH: {kernel[1]} kW: {kernel[2]})")
    out = tuple(_output_size(n, k, s, p, d, ceil_mode)
                for n, k, s, p, d in zip(size, kernel, stride, padding, dilation))
    if min(out) < 1:
        raise RuntimeError(f"Given input size: ({input.shape[-4]}x{'x'.join(map(str, size))}). "
                           f"Calculated output size: ({input.shape[-4]}x"
                           f"{'x'.join(map(str, out))}). Output size is too small")
    return kernel, stride, padding, dilation, out


def max_pool3d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False):
    """The maximum of each (kd, kh, kw) window of (N, C, D, H, W) or (C, D, H, W) inputs; with
    return_indices, also its flat index d·H·W + h·W + w in the input volume."""
    kernel, stride, padding, dilation, out = _pool3d_arguments(
        "max_pool3d", input, kernel_size, stride, padding, dilation, ceil_mode)
    refuse(input, "max_pool3d")
    planes = MaxPool2d.apply(input, kernel_size=kernel[1:], stride=stride[1:],
                             padding=padding[1:], dilation=dilation[1:], output_size=out[1:],
                             with_indices=return_indices)
    values = planes[0] if return_indices else planes
    pooled = MaxPool2d.apply(_depth_last(values, out[1] * out[2]), kernel_size=(kernel[0], 1),
                             stride=(stride[0], 1), padding=(padding[0], 0),
                             dilation=(dilation[0], 1), output_size=(out[0], out[1] * out[2]),
                             with_indices=return_indices)
    shape = tuple(input.shape[:-3]) + out
    if not return_indices:
        return pooled.reshape(shape)
    indices = _combined_indices(planes[1], pooled[1], input.shape[-3:])
    return pooled[0].reshape(shape), indices.reshape(shape)


def avg_pool3d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """The mean of each (kd, kh, kw) window: window sums (over (H, W), then over depth) divided
    by the window's size, its part inside the input, or divisor_override."""
    kernel, stride, padding, _, out = _pool3d_arguments(
        "avg_pool3d", input, kernel_size, stride, padding, 1, ceil_mode)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    refuse(input, "avg_pool3d_out_frame", INTEGRAL_BUT_LONG | {"float16"})
    sums = AvgPool2d.apply(input, kernel_size=kernel[1:], stride=stride[1:],
                           padding=padding[1:], output_size=out[1:], count_include_pad=True,
                           divisor_override=1)
    sums = AvgPool2d.apply(_depth_last(sums, out[1] * out[2]), kernel_size=(kernel[0], 1),
                           stride=(stride[0], 1), padding=(padding[0], 0),
                           output_size=(out[0], out[1] * out[2]), count_include_pad=True,
                           divisor_override=1)
    sums = sums.reshape(tuple(input.shape[:-3]) + out)
    xp = get_array_module(input._data)
    size = tuple(input.shape[-3:])
    planes = _divisor(xp, size[1:], kernel[1:], stride[1:], padding[1:], out[1:],
                      count_include_pad, divisor_override, input._data.dtype)
    depths = _divisor(xp, (size[0], 1), (kernel[0], 1), (stride[0], 1), (padding[0], 0),
                      (out[0], 1), count_include_pad, divisor_override, input._data.dtype)
    divisor = divisor_override or xp.asarray(depths).reshape(-1, 1, 1) * planes
    if input.dtype.is_floating_point:
        return sums / Tensor._make(xp.asarray(divisor, dtype=input._data.dtype))
    return sums.div(Tensor._make(xp.asarray(divisor, dtype=input._data.dtype)),
                    rounding_mode="trunc")


def max_pool1d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode: bool = False, return_indices: bool = False):
    """max_pool1d's values and indices (return_indices is ignored, as in torch)."""
    check_tensor(input, "max_pool1d_with_indices")
    return _max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool2d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode: bool = False, return_indices: bool = False):
    """max_pool2d's values and indices (return_indices is ignored, as in torch)."""
    check_tensor(input, "max_pool2d_with_indices")
    return _max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool3d_with_indices(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode: bool = False, return_indices: bool = False):
    """max_pool3d's values and indices (return_indices is ignored, as in torch)."""
    return max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


# ----------------------------------------------------------------------------- adaptive

def _adaptive_1d(name, input, output_size) -> int:
    check_tensor(input, name)
    if input.dim() not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional "
                           f"tensor for argument #1 'self' (while checking arguments for {name})")
    if isinstance(output_size, (tuple, list)):
        if len(output_size) != 1:
            raise RuntimeError(f"{name}() argument 'output_size' should contain one int (got "
                               f"{len(output_size)})")
        output_size = output_size[0]
    return output_size


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """Average pooling of (N, C, L) or (C, L) inputs to a length of output_size."""
    size = _adaptive_1d("adaptive_avg_pool1d", input, output_size)
    return adaptive_avg_pool2d(input.unsqueeze(-2), (1, size)).squeeze(-2)


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    """Max pooling of (N, C, L) or (C, L) inputs to a length of output_size."""
    size = _adaptive_1d("adaptive_max_pool1d", input, output_size)
    values, indices = _adaptive_max_pool2d(input.unsqueeze(-2), (1, size), True)
    return (values.squeeze(-2), indices.squeeze(-2)) if return_indices else values.squeeze(-2)


def _adaptive_3d(name, input, output_size) -> tuple:
    check_python_tensor(input, "size")  # torch's Python wrapper reads input.size() first
    if input.dim() not in (4, 5):
        separator = ": " if name == "adaptive_max_pool3d" else " "
        raise RuntimeError(f"{name}(): Expected 4D or 5D tensor, but got{separator}"
                           f"{list(input.shape)}")
    if isinstance(output_size, (tuple, list)):
        if len(output_size) != 3:
            raise RuntimeError(f"{name}: output_size must be 3" if name[9] == "a" else
                               f"{name}(): internal error: output_size.size() must be 3")
        sizes = output_size
    else:
        sizes = (output_size,) * 3
    # None keeps the input's size along that axis
    return tuple(n if o is None else int(o) for o, n in zip(sizes, input.shape[-3:]))


def adaptive_avg_pool3d(input: Tensor, output_size) -> Tensor:
    """Average pooling of (N, C, D, H, W) or (C, D, H, W) inputs to output_size: adaptive
    windows over (H, W), then over depth."""
    out = _adaptive_3d("adaptive_avg_pool3d", input, output_size)
    if out == (1, 1, 1):  # global average pooling: a mean, as torch computes it
        return input.mean((-3, -2, -1), keepdim=True)
    refuse(input, "adaptive_avg_pool3d_cpu", INTEGRAL)
    planes = AdaptiveAvgPool2d.apply(input, output_size=out[1:])
    pooled = AdaptiveAvgPool2d.apply(_depth_last(planes, out[1] * out[2]),
                                     output_size=(out[0], out[1] * out[2]))
    return pooled.reshape(tuple(input.shape[:-3]) + out)


def adaptive_max_pool3d(input: Tensor, output_size, return_indices: bool = False):
    """Max pooling of (N, C, D, H, W) or (C, D, H, W) inputs to output_size; indices are flat
    positions d·H·W + h·W + w in the input volume."""
    out = _adaptive_3d("adaptive_max_pool3d", input, output_size)
    refuse(input, "adaptive_max_pool3d_cpu", INTEGRAL)
    planes, plane_indices = AdaptiveMaxPool2d.apply(input, output_size=out[1:])
    pooled, depth_indices = AdaptiveMaxPool2d.apply(_depth_last(planes, out[1] * out[2]),
                                                    output_size=(out[0], out[1] * out[2]))
    shape = tuple(input.shape[:-3]) + out
    if not return_indices:
        return pooled.reshape(shape)
    indices = _combined_indices(plane_indices, depth_indices, input.shape[-3:])
    return pooled.reshape(shape), indices.reshape(shape)


def adaptive_max_pool1d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    """adaptive_max_pool1d's values and indices."""
    return adaptive_max_pool1d(input, output_size, True)


def adaptive_max_pool2d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    """adaptive_max_pool2d's values and indices."""
    check_python_tensor(input, "size")
    return _adaptive_max_pool2d(input, output_size, True)


def adaptive_max_pool3d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    """adaptive_max_pool3d's values and indices."""
    return adaptive_max_pool3d(input, output_size, True)


# ----------------------------------------------------------------------------- power average

def _lp_pool(pool, max_pool, dims, input, norm_type, kernel_size, stride, ceil_mode):
    """(Σ over each window of x^p)^(1/p), as torch composes it: an average pool of x^p times
    the window size; p = ±inf is the largest (or smallest) |x|. A sum of zero gets gradient 0."""
    if norm_type == math.inf:
        return max_pool(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if norm_type == -math.inf:
        return -max_pool(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    out = pool(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    size = math.prod(int_tuple(kernel_size, dims, f"lp_pool{dims}d", "kernel_size"))
    return (out.sign() * out.abs().relu()).mul(size).pow(1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size, stride=None,
              ceil_mode: bool = False) -> Tensor:
    """The p-norm of each window of (N, C, L) inputs."""
    return _lp_pool(avg_pool1d, _max_pool1d, 1, input, norm_type, kernel_size, stride,
                    ceil_mode)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size, stride=None,
              ceil_mode: bool = False) -> Tensor:
    """The p-norm of each window of (N, C, H, W) inputs."""
    return _lp_pool(avg_pool2d, _max_pool2d, 2, input, norm_type, kernel_size, stride,
                    ceil_mode)


def lp_pool3d(input: Tensor, norm_type: float, kernel_size, stride=None,
              ceil_mode: bool = False) -> Tensor:
    """The p-norm of each window of (N, C, D, H, W) inputs."""
    return _lp_pool(avg_pool3d, max_pool3d, 3, input, norm_type, kernel_size, stride,
                    ceil_mode)
