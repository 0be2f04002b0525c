"""max_unpool1d/2d/3d: a partial inverse of max pooling, composed from indexing (no new backward).

Max pooling keeps the largest element of each window and, with return_indices, where it was.
Unpooling puts each value back at its index in a zero plane of the unpooled size, so

    y = zeros with y[n, c, index[n, c, i]] = x[n, c, i]     dx[n, c, i] = dy[n, c, index[n, c, i]]

which is indexing's own pair of primitives: writing into zeros, and reading (its backward).
"""
from __future__ import annotations

import math

from ...backend import get_array_module, on_host
from ...functions.dtype_support import INTEGRAL, refuse
from ...ops.indexing import IndexToZeros
from ...tensor import Tensor
from ._args import check_tensor, int_tuple

__all__ = ["max_unpool1d", "max_unpool2d", "max_unpool3d"]


def _output_size(input, kernel, stride, padding, output_size) -> tuple:
    """torch's _unpool_output_size: the default, or output_size checked against it."""
    dims = len(kernel)
    default = [(input.shape[-dims + d] - 1) * stride[d] + kernel[d] - 2 * padding[d]
               for d in range(dims)]
    if output_size is None:
        return tuple(default)
    output_size = tuple(output_size)
    if len(output_size) == dims + 2:
        output_size = output_size[2:]
    if len(output_size) != dims:
        raise ValueError(f"output_size should be a sequence containing {dims} or {dims + 2} "
                         f"elements, but it has a length of '{len(output_size)}'")
    for d in range(dims):
        low, high = default[d] - stride[d], default[d] + stride[d]
        if not low < output_size[d] < high:
            raise ValueError(f'invalid output_size "{output_size}" (dim {d} must be between '
                             f'{low} and {high})')
    return output_size


def _unpool(name, dims, input, indices, kernel_size, stride, padding, output_size,
            native_dims) -> Tensor:
    check_tensor(input, name)
    check_tensor(indices, name, "indices", 2)
    kernel = int_tuple(kernel_size, dims, name, "kernel_size")
    stride = kernel if stride is None else int_tuple(stride, dims, name, "stride")
    padding = int_tuple(padding, dims, name, "padding")
    size = _output_size(input, kernel, stride, padding, output_size)
    if dims == 1:  # torch unpools (N, C, L) as (N, C, L, 1)
        input, indices, size = input.unsqueeze(-1), indices.unsqueeze(-1), size + (1,)
    if input.dim() not in (native_dims + 1, native_dims + 2):
        raise RuntimeError(f"Input to max_unpooling{native_dims}d should be a "
                           f"{native_dims + 1}d or {native_dims + 2}d Tensor, but got a tensor "
                           f"with {input.dim()} dimensions.")
    if indices.dtype.name != "int64":
        raise RuntimeError(f"elements in indices should be type int64 but got: "
                           f"{indices.dtype.scalar_name}")
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor "
                           f"({list(input.shape)}) but got indices tensor with shape: "
                           f"{list(indices.shape)}")
    refuse(input, f"max_unpool{native_dims}d", INTEGRAL)
    plane = math.prod(size)
    where = indices._data
    lead = tuple(input.shape[:-native_dims])
    rows = math.prod(lead)
    if plane == 0:  # nothing to write into (torch checks no index then)
        return input.reshape(rows, -1)[:, :0].reshape(lead + tuple(size))
    if where.size and on_host(where) and (int(where.min()) < 0 or int(where.max()) >= plane):
        wrong = int(where[(where < 0) | (where >= plane)][0])  # the first, as torch's loop
        raise RuntimeError(f"Found an invalid max index: {wrong} (output volumes are of size "
                           f"{'x'.join(map(str, size))})")
    xp = get_array_module(where)
    key = (xp.arange(rows)[:, None], where.reshape(rows, -1))
    flat = input.reshape(rows, -1)
    # repeated indices (overlapping windows) add up here; torch keeps one of them, unspecified
    out = IndexToZeros.apply(flat, key=key, shape=(rows, plane), accumulate=True)
    out = out.reshape(lead + tuple(size))
    return out.squeeze(-1) if dims == 1 else out


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0,
                 output_size=None) -> Tensor:
    """Each value of (N, C, L) or (C, L) put back at its max_pool1d index, zeros elsewhere."""
    return _unpool("max_unpool1d", 1, input, indices, kernel_size, stride, padding, output_size,
                   2)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0,
                 output_size=None) -> Tensor:
    """Each value of (N, C, H, W) or (C, H, W) put back at its max_pool2d index (h·W + w)."""
    return _unpool("max_unpool2d", 2, input, indices, kernel_size, stride, padding, output_size,
                   2)


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0,
                 output_size=None) -> Tensor:
    """Each value of (N, C, D, H, W) or (C, D, H, W) put back at its max_pool3d index."""
    return _unpool("max_unpool3d", 3, input, indices, kernel_size, stride, padding, output_size,
                   3)
