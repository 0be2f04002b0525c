"""Order statistics and descriptive statistics with torch's signatures: median, nanmedian, mode,
kthvalue, quantile, nanquantile, aminmax, cummax, cummin, logcumsumexp, nansum, nanmean, msort,
diff; with their Tensor methods (`METHODS`, installed by functions.install). cov and corrcoef
are in products.py.

The selecting ones find their indices on raw arrays and pick the values with a primitive of
statistics_ops.py whose backward sends each gradient to the chosen element, as torch's does;
quantile, nanmean and diff are written with Tensor ops, as in torch.
"""
from __future__ import annotations

from collections import namedtuple

from .. import dtypes
from ..backend import get_array_module
from ..ops import reduce as red
from ..tensor import Tensor
from . import dtype_support as support
from . import reduction_ops as rdo
from . import statistics_ops as so
from ._args import wrap_dim, wrap_dims
from .comparison import logical_xor
from .indexing import gather
from .pointwise import lerp
from .reduction import _refuse_empty, sort, sum
from .shape import cat, narrow

__all__ = ["aminmax", "cummax", "cummin", "diff", "kthvalue",
           "logcumsumexp", "median", "mode", "msort", "nanmean", "nanmedian", "nanquantile",
           "nansum", "quantile"]


def return_type(name: str, fields: list):
    """A named tuple printed as torch.return_types.<name>, e.g. (values, indices)."""
    cls = namedtuple(name, fields)

    def __repr__(self) -> str:
        items = ",\n".join(f"{field}={value!r}" for field, value in zip(fields, self))
        return f"torch.return_types.{name}(\n{items})"
    cls.__repr__ = __repr__
    return cls


_RETURN_TYPES = {name: return_type(name, ["values", "indices"])
                 for name in ("median", "nanmedian", "mode", "kthvalue", "cummax", "cummin")}
_AminMax = return_type("aminmax", ["min", "max"])


def tensors(function: str, *arguments) -> None:
    """torch's TypeError for a non-tensor where its signature wants one: arguments are
    (name, value) pairs in position order."""
    for position, (name, value) in enumerate(arguments, 1):
        if not isinstance(value, Tensor):
            raise TypeError(f"{function}(): argument '{name}' (position {position}) must be "
                            f"Tensor, not {type(value).__name__}")


def _int64(xp, array):
    return array.astype(xp.int64, copy=False)


def _selected(name, input, axis, indices, keepdim, op):
    """(values, indices) picked by `indices` (found along axis) with the selecting primitive."""
    values = op.apply(input, dim=axis, indices=indices, keepdim=keepdim)
    index = Tensor._make(indices if keepdim or input._data.ndim == 0 else indices.squeeze(axis))
    return _RETURN_TYPES[name](values, index)


def _sorted_order(data, axis):
    """Stable ascending order along axis, NaNs last (as torch sorts them)."""
    return get_array_module(data).argsort(data, axis=axis, kind="stable")


# ----------------------------------------------------------------------------- median & co


def _median(name: str, input, dim, keepdim: bool, ignore_nan: bool):
    tensors(name, ("input", input))
    data = input._data
    xp = get_array_module(data)
    if dim is None:
        if keepdim:
            raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')
        support.refuse(input, f"{name}_cpu")
        flat = data.reshape(-1)
        is_nan = xp.isnan(flat) if flat.dtype.kind == "f" else xp.zeros(flat.shape, bool)
        valid = flat[~is_nan] if ignore_nan else flat
        if valid.size == 0 or (not ignore_nan and bool(is_nan.any())):
            value = xp.asarray(xp.nan if flat.dtype.kind == "f" else 0, dtype=flat.dtype)
        else:
            value = xp.sort(valid)[(valid.size - 1) // 2]
        op = so.NanmedianAll if ignore_nan else so.MedianAll
        return op.apply(input, value=xp.asarray(value, dtype=data.dtype))
    support.refuse(input, "median_out" if name == "median" else "nanmedian_out")
    axis = wrap_dim(dim, data.ndim)
    if data.ndim == 0:
        return _selected(name, input, 0, xp.zeros((), xp.int64), keepdim, so.Median)
    _refuse_empty(name, data.shape, axis)
    order = _sorted_order(data, axis)
    is_nan = xp.isnan(data) if data.dtype.kind == "f" else xp.zeros(data.shape, bool)
    if ignore_nan:  # the lower median of the values that are not NaN (the first NaN if none)
        count = (~is_nan).sum(axis=axis, keepdims=True)
        indices = xp.take_along_axis(order, xp.maximum((count - 1) // 2, 0), axis=axis)
    else:  # a slice with a NaN has the NaN as median: its first one
        middle = xp.take(order, [(data.shape[axis] - 1) // 2], axis=axis)
        first_nan = xp.expand_dims(is_nan.argmax(axis=axis), axis)
        indices = xp.where(is_nan.any(axis=axis, keepdims=True), first_nan, middle)
    op = so.Nanmedian if ignore_nan else so.Median
    return _selected(name, input, axis, _int64(xp, indices), keepdim, op)


def median(input, dim=None, keepdim: bool = False):
    """The lower median of all elements (NaN if any is NaN); with `dim`: (values, indices)."""
    return _median("median", input, dim, keepdim, ignore_nan=False)


def nanmedian(input, dim=None, keepdim: bool = False):
    """median of the elements that are not NaN."""
    return _median("nanmedian", input, dim, keepdim, ignore_nan=True)


def kthvalue(input, k: int, dim: int = -1, keepdim: bool = False):
    """(values, indices) of the k-th smallest element along dim (NaN counts as the largest)."""
    tensors("kthvalue", ("input", input))
    data = input._data
    xp = get_array_module(data)
    axis = wrap_dim(dim, data.ndim)
    size = data.shape[axis] if data.ndim else 1
    if not (1 <= k <= size or size == 0):
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {axis}")
    support.refuse(input, "kthvalue_cpu")
    _refuse_empty("kthvalue", data.shape, axis)
    if data.ndim == 0:
        return _selected("kthvalue", input, 0, xp.zeros((), xp.int64), keepdim, so.Kthvalue)
    indices = xp.take(_sorted_order(data, axis), [k - 1], axis=axis)
    return _selected("kthvalue", input, axis, _int64(xp, indices), keepdim, so.Kthvalue)


def mode(input, dim: int = -1, keepdim: bool = False):
    """(values, indices): the most frequent value along dim (the smallest of equally frequent
    ones) and the last index where it occurs."""
    tensors("mode", ("input", input))
    data = input._data
    xp = get_array_module(data)
    axis = wrap_dim(dim, data.ndim)
    if data.ndim == 0:
        return _selected("mode", input, 0, xp.zeros((), xp.int64), keepdim, so.Mode)
    _refuse_empty("mode", data.shape, axis)
    order = _sorted_order(data, axis)
    ordered = xp.take_along_axis(data, order, axis=axis)
    n = data.shape[axis]
    shape = [1] * data.ndim
    shape[axis] = n
    position = xp.broadcast_to(xp.arange(n).reshape(shape), data.shape)
    later, earlier = [slice(None)] * data.ndim, [slice(None)] * data.ndim
    later[axis], earlier[axis] = slice(1, None), slice(None, -1)
    changes = ordered[tuple(later)] != ordered[tuple(earlier)]  # a new run starts after
    edge = xp.ones(tuple(1 if a == axis else s for a, s in enumerate(data.shape)), bool)
    starts = xp.concatenate([edge, changes], axis=axis)
    ends = xp.concatenate([changes, edge], axis=axis)
    start, = so.inclusive_scan(lambda a, b: (xp.maximum(a[0], b[0]),),
                               (xp.where(starts, position, 0),), axis)
    run = xp.where(ends, position - start + 1, 0)
    last = xp.expand_dims(run.argmax(axis=axis), axis)  # the first longest run: smallest value
    indices = xp.take_along_axis(order, last, axis=axis)
    return _selected("mode", input, axis, _int64(xp, indices), keepdim, so.Mode)


# ----------------------------------------------------------------------------- extremes and scans


def aminmax(input, *, dim=None, keepdim: bool = False):
    """(min, max) over dim (all elements when None); ties share the gradient as amin/amax."""
    tensors("aminmax", ("input", input))
    data = input._data
    if dim is None:
        if data.size == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                               "operation has no identity.")
        dims = None
    else:
        axis = wrap_dim(dim, data.ndim)
        if data.ndim and data.shape[axis] == 0:
            raise IndexError(f"aminmax: Expected reduction dim {axis} to have non-zero size.")
        dims = (axis,) if data.ndim else None
    low = rdo.Amin.apply(input, dims=dims, keepdim=keepdim, largest=False)
    high = red.Amax.apply(input, dims=dims, keepdim=keepdim)
    return _AminMax(low, high)


def _cumulative_extreme(name, input, dim, largest):
    tensors(name, ("input", input))
    data = input._data
    xp = get_array_module(data)
    axis = wrap_dim(dim, data.ndim)
    op = so.Cummax if largest else so.Cummin
    if data.ndim == 0:
        return _selected(name, input, 0, xp.zeros((), xp.int64), True, op)
    _, indices = so.running_extreme(data, axis, largest)
    return _selected(name, input, axis, indices, True, op)


def cummax(input, dim: int):
    """(values, indices) of the running maximum along dim; the gradient goes to the index."""
    return _cumulative_extreme("cummax", input, dim, largest=True)


def cummin(input, dim: int):
    return _cumulative_extreme("cummin", input, dim, largest=False)


def logcumsumexp(input, dim: int) -> Tensor:
    """log Σ_{j<=i} exp(x_j) along dim, without overflow."""
    tensors("logcumsumexp", ("input", input))
    axis = wrap_dim(dim, input._data.ndim)
    support.refuse(input, "logcumsumexp_out_cpu", support.INTEGRAL)
    if input._data.ndim == 0:
        return so.LogCumSumExp.apply(input.reshape(1), dim=0).reshape(())
    return so.LogCumSumExp.apply(input, dim=axis)


# ----------------------------------------------------------------------------- NaN-ignoring


def nansum(input, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Σ over dim, the NaNs counted as 0 (and given no gradient)."""
    tensors("nansum", ("input", input))
    if input._data.dtype.kind != "f":
        return sum(input, dim, keepdim, dtype=dtype)
    return so.Nansum.apply(input, dims=wrap_dims(dim, input._data.ndim), keepdim=keepdim,
                           dtype=None if dtype is None else dtypes.as_dtype(dtype).numpy)


def nanmean(input, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """nansum / the number of elements that are not NaN."""
    tensors("nanmean", ("input", input))
    if input._data.dtype.kind != "f":
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype "
                           f"but got {input.dtype.scalar_name}")
    count = input.isnan().logical_not().sum(dim, keepdim)
    return nansum(input, dim, keepdim, dtype=dtype) / count


# ----------------------------------------------------------------------------- quantiles

_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile_q(name, input, q):
    """q as an array of input's dtype (0-d or 1-d), checked as torch checks it."""
    xp = get_array_module(input._data)
    if not isinstance(q, Tensor) and not 0 <= q <= 1:
        raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {q:g}")
    if input._data.size == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    if isinstance(q, Tensor) and q._data.ndim > 1:
        raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
    if input.dtype not in (dtypes.float32, dtypes.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if not isinstance(q, Tensor):
        return xp.asarray(q, dtype=input._data.dtype)
    if q.dtype != input.dtype:
        raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
    if not bool(((q._data >= 0) & (q._data <= 1)).all()):
        raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
    return q._data


def _quantile(name, input, q, dim, keepdim, interpolation, ignore_nan):
    if not isinstance(input, Tensor):
        got = ", ".join(type(value).__name__ for value in (input, q))
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({got}), "
                        "but expected one of:")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, "
                           f"midpoint or nearest, but got {interpolation}")
    q = _quantile_q(name, input, q)
    xp = get_array_module(input._data)
    ndim = input._data.ndim
    if dim is None:
        ordered = sort(input.reshape(-1)).values
    else:  # the reduced dim moved last, a size-1 dim left in its place
        axis = wrap_dim(dim, ndim)
        ordered = sort(input.reshape(input.shape + (1,)).transpose(axis, -1) if ndim else
                       input.reshape(1)).values
    data = ordered._data
    nan = xp.isnan(data)
    if ignore_nan:  # ranks among the values that are not NaN (0, giving NaN, when none is)
        ranks = q.reshape(-1) * ((~nan).sum(-1, keepdims=True) - 1).astype(data.dtype)
        ranks = xp.where(ranks < 0, 0, ranks)
    else:  # a slice with a NaN: its last rank, where sort put the NaN
        last = data.shape[-1] - 1
        ranks = xp.where(nan.any(-1, keepdims=True), last, q.reshape(-1) * last)
    ranks = xp.broadcast_to(ranks, data.shape[:-1] + (q.size,)).astype(data.dtype)
    if interpolation in ("lower", "higher", "nearest"):
        ranks = {"lower": xp.floor, "higher": xp.ceil, "nearest": xp.round}[interpolation](ranks)
    below = _int64(xp, ranks)
    result = gather(ordered, -1, Tensor._make(below))
    if interpolation in ("linear", "midpoint"):
        weights = xp.full_like(ranks, 0.5) if interpolation == "midpoint" else ranks - below
        above = gather(ordered, -1, Tensor._make(_int64(xp, xp.ceil(ranks))))
        result = lerp(result, above, Tensor._make(weights.astype(data.dtype)))
    if dim is None:
        result = result.reshape((1,) * ndim + (q.size,) if keepdim else (q.size,))
    elif not keepdim and ndim:
        result = result.squeeze(axis)
    result = result.movedim(-1, 0)
    return result.reshape(result.shape[1:]) if q.ndim == 0 else result


def quantile(input, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear"):
    """The q-th quantiles along dim (of all elements when None), interpolating between the two
    nearest sorted values; the gradient flows to those two, by their weights."""
    return _quantile("quantile", input, q, dim, keepdim, interpolation, ignore_nan=False)


def nanquantile(input, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear"):
    """quantile of the elements that are not NaN."""
    return _quantile("nanquantile", input, q, dim, keepdim, interpolation, ignore_nan=True)


# ----------------------------------------------------------------------------- sorting, differences


def msort(input) -> Tensor:
    """input sorted along its first dim."""
    tensors("msort", ("input", input))
    return sort(input, 0).values


def diff(input, n: int = 1, dim: int = -1, prepend=None, append=None) -> Tensor:
    """The n-th forward difference along dim (x[i+1] - x[i], xor for bools), after putting
    `prepend` before and `append` after input along dim."""
    tensors("diff", ("input", input))
    if input._data.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    if n == 0 and prepend is None and append is None:  # input itself, dim unchecked (torch)
        return input.clone()
    axis = wrap_dim(dim, input._data.ndim)
    parts = [input]
    for extra, before in ((prepend, True), (append, False)):
        if extra is None:
            continue
        if extra._data.ndim != input._data.ndim:
            raise RuntimeError("diff expects prepend or append to be the same dimension as "
                               "input")
        for d, (mine, theirs) in enumerate(zip(input.shape, extra.shape)):
            if d != axis and mine != theirs:
                raise RuntimeError(
                    "diff expects the shape of tensor to prepend or append to match that of "
                    f"input except along the differencing dimension; input.size({d}) = {mine}, "
                    f"but got tensor.size({d}) = {theirs}")
        parts.insert(0 if before else len(parts), extra)
    if n == 0:  # input itself, once prepend and append are checked
        return input.clone()
    result = cat(parts, axis) if len(parts) > 1 else input
    length = result.shape[axis]
    for _ in range(min(n, length)):
        length -= 1
        later, earlier = narrow(result, axis, 1, length), narrow(result, axis, 0, length)
        result = logical_xor(later, earlier) if result.dtype == dtypes.bool_ else later - earlier
    return result


METHODS = {
    "median": median, "nanmedian": nanmedian, "kthvalue": kthvalue, "mode": mode,
    "aminmax": aminmax, "cummax": cummax, "cummin": cummin, "logcumsumexp": logcumsumexp,
    "nansum": nansum, "nanmean": nanmean, "quantile": quantile, "nanquantile": nanquantile,
    "msort": msort, "diff": diff,
}
