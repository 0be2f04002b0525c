"""scatter_reduce's primitive: a reduction of src into input's places, with torch's gradients.

Composition would be wrong here: amax/amin share the gradient among tied elements and prod
needs the product of the *other* elements where one is zero, so the backward is written out,
as torch's scatter_reduce_backward computes it.
"""
from __future__ import annotations

from .. import backend
from ..arrays import scatter_add
from ..autograd.primitive import Primitive
from ..backend import get_array_module
from ..ops.indexing import IndexToZeros, along_axis_key

_UFUNCS = {"sum": "add", "mean": "add", "prod": "multiply", "amax": "maximum",
           "amin": "minimum"}


def _identity(xp, dtype, reduce: str):
    """The value that leaves a reduction unchanged (written where include_self=False)."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if dtype.kind == "f":
        return -float("inf") if reduce == "amax" else float("inf")
    if dtype.kind == "b":
        return reduce == "amin"
    info = xp.iinfo(dtype)
    return info.min if reduce == "amax" else info.max


def _reduce_at(y, key, src, reduce: str) -> None:
    """y[key] (+, *, max, min)= src, repeated places combining all their values. Only addition
    has a CuPy scatter for every dtype (arrays.scatter_add): the others run on the host."""
    if reduce in ("sum", "mean"):
        scatter_add(y, key, src)
        return
    if backend.on_host(y):
        getattr(get_array_module(y), _UFUNCS[reduce]).at(y, key, src)
        return
    device = backend.device_of(y)
    host = backend.to_device(y, backend.CPU)
    _reduce_at(host, tuple(backend.to_device(k, backend.CPU) if backend.is_array(k) else k
                           for k in key), backend.to_device(src, backend.CPU), reduce)
    y[...] = backend.to_device(host, device)


class ScatterReduce2(Primitive):
    """y = x with y[index[i][j]][j] = reduce(x (if include_self), every src[i][j] sent there);
    dx, dsrc: dy where that element gave the result (shared among ties for amax/amin; the
    product of the others for prod; divided by the count for mean)"""

    node_name = "ScatterReduceBackward0"

    @staticmethod
    def forward(ctx, x, src, *, dim, index, reduce, include_self):
        ctx.options = (dim, reduce, include_self)
        xp = get_array_module(x)
        key = along_axis_key(index, dim)
        y = x.copy()
        if not include_self:
            y[key] = _identity(xp, x.dtype, reduce)
        _reduce_at(y, key, src[tuple(slice(0, size) for size in index.shape)], reduce)
        if reduce == "mean":
            count = xp.full(x.shape, int(include_self), dtype=x.dtype)
            scatter_add(count, key, xp.ones(index.shape, dtype=x.dtype))
            count[count == 0] = 1
            y = y / count if x.dtype.kind == "f" else y // count
        ctx.save_for_backward(x, src, index, y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, whole_src, index, result = ctx.saved_tensors
        dim, reduce, include_self = ctx.options
        used = tuple(slice(0, size) for size in index.shape)  # the part of src that is read
        src = whole_src[used] if tuple(whole_src.shape) != tuple(index.shape) else whole_src
        if reduce == "sum":
            dx, dsrc = grad_output, grad_output.gather(dim, index)
        elif reduce == "mean":
            count = (x.new_ones(x.shape) if include_self else x.new_zeros(x.shape))
            count = count.scatter_add(dim, index, src.new_ones(index.shape))
            share = grad_output / count.masked_fill(count == 0, 1)
            dx, dsrc = share, share.gather(dim, index)
        elif reduce == "prod":
            dx, dsrc = _prod_grads(grad_output, x, src, index, result, dim, include_self)
        else:
            value = result.gather(dim, index)
            x_is, src_is = (x == result).to(x.dtype), (src == value).to(x.dtype)
            share = grad_output / x_is.scatter_add(dim, index, src_is)
            dx, dsrc = x_is * share, src_is * share.gather(dim, index)
        if not include_self:
            dx = dx.scatter(dim, index, 0.0)
        if src is not whole_src:
            dsrc = IndexToZeros.apply(dsrc, key=used, shape=tuple(whole_src.shape),
                                      accumulate=False)
        return dx, dsrc


def _prod_grads(grad_output, x, src, index, result, dim, include_self):
    """d/dx and d/dsrc of a scatter product: y / x where x != 0, else the product of the others
    (computed again with that one zero replaced by 1)."""
    def again(base, values):
        return ScatterReduce2.apply(base, values, dim=dim, index=index._data, reduce="prod",
                                    include_self=include_self)
    nonzero_x = x.masked_fill(x == 0, 1)
    dx = grad_output * again(nonzero_x, src) / nonzero_x
    src_zero = src == 0
    zeros_there = x.new_zeros(x.shape).scatter_add(dim, index, src_zero.to(x.dtype))
    single_zero = src_zero & (zeros_there.gather(dim, index) == 1)
    others = again(x, src.masked_fill(single_zero, 1))
    dsrc = (grad_output * others).gather(dim, index).where(
        single_zero, (grad_output * result).gather(dim, index) / src.masked_fill(src_zero, 1))
    return dx, dsrc
