"""Counting and searching with torch's signatures: unique, unique_consecutive, bincount, histc,
histogram, bucketize, searchsorted; with their Tensor methods (`METHODS`).

Their results are indices, counts or values picked by comparisons, so torch gives them no
derivative: unique's and histogram's floating results still require grad when their input
does, through a node whose backward raises torch's error (statistics_ops.NoDerivative).
"""
from __future__ import annotations

import math

from .. import dtypes
from ..autograd import grad_mode
from ..backend import get_array_module
from ..tensor import Tensor
from . import dtype_support as support
from . import statistics_ops as so
from ._args import wrap_dim
from .statistics import return_type

__all__ = ["bincount", "bucketize", "histc", "histogram", "searchsorted", "unique",
           "unique_consecutive"]

_Histogram = return_type("histogram", ["hist", "bin_edges"])


def _result(array, source, op=so.NoDerivative, name=""):
    """`array` as a tensor that requires grad when `source` does (with no derivative)."""
    if source is not None and source._requires_grad and grad_mode.is_grad_enabled() and \
            array.dtype.kind == "f":
        return op.apply(source, value=array, name=name)
    return Tensor._make(array)


def _int64(xp, array):
    return xp.asarray(array).astype(xp.int64, copy=False)


# ----------------------------------------------------------------------------- unique


def _rows(moved):
    """The slices along the first dim, each flattened to one row."""
    return moved.reshape(moved.shape[0], math.prod(moved.shape[1:]))


def _runs(data, axis):
    """(is the start of a run, along axis): slices equal to the one before continue its run."""
    xp = get_array_module(data)
    moved = _rows(xp.moveaxis(data, axis, 0))
    if moved.shape[0] == 0:
        return xp.zeros(0, dtype=bool)
    differs = (moved[1:] != moved[:-1]).any(axis=1)
    return xp.concatenate([xp.ones(1, dtype=bool), differs])


def _unique_results(input, values, starts, order, return_inverse, return_counts, shape, op,
                    name):
    """(values, inverse, counts) from the run starts of the slices taken in `order`."""
    xp = get_array_module(starts)
    results = [_result(values, input, op, name)]
    if return_inverse:
        group = xp.cumsum(starts) - 1
        inverse = xp.empty_like(group)
        inverse[order] = group
        results.append(Tensor._make(_int64(xp, inverse).reshape(shape)))
    if return_counts:
        edges = xp.concatenate([xp.nonzero(starts)[0], xp.asarray([starts.size])])
        results.append(Tensor._make(_int64(xp, xp.diff(edges))))
    return results[0] if len(results) == 1 else tuple(results)


def _unique_slices(name, input, dim, consecutive, return_inverse, return_counts):
    data = input._data
    xp = get_array_module(data)
    if dim is None:
        flat = data.reshape(-1)
        order = xp.arange(flat.size) if consecutive else xp.argsort(flat, kind="stable")
        ordered = flat[order]
        starts = _runs(ordered, 0)
        op = so.UniqueConsecutive if consecutive else so.Unique2
        return _unique_results(input, ordered[starts], starts, order, return_inverse,
                               return_counts, data.shape, op,
                               "unique_consecutive" if consecutive else "_unique2")
    if data.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    axis = wrap_dim(dim, data.ndim)
    if 0 in data.shape and data.shape[axis] != 0:
        raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so unique "
                           "cannot be applied")
    moved = xp.moveaxis(data, axis, 0)
    rows = _rows(moved)
    order = xp.arange(rows.shape[0])
    if not consecutive:  # lexicographic order of the slices: stable sorts by each column,
        for column in reversed(range(rows.shape[1])):  # the least significant first
            order = order[xp.argsort(rows[order, column], kind="stable")]
    ordered = moved[order]
    starts = _runs(ordered, 0)
    values = xp.moveaxis(ordered[starts], 0, axis)
    op = so.UniqueConsecutive if consecutive else so.UniqueDim
    return _unique_results(input, values, starts, order, return_inverse, return_counts,
                           (data.shape[axis],), op,
                           "unique_consecutive" if consecutive else "unique_dim")


def unique(input, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,
           dim=None):
    """The distinct elements (or slices along dim), in ascending order; with the index of each
    element's value (return_inverse) and how often each occurs (return_counts)."""
    return _unique_slices("unique", input, dim, False, return_inverse, return_counts)


def unique_consecutive(input, return_inverse: bool = False, return_counts: bool = False,
                       dim=None):
    """Each run of equal consecutive elements (or slices along dim) collapsed to one."""
    return _unique_slices("unique_consecutive", input, dim, True, return_inverse, return_counts)


# ----------------------------------------------------------------------------- counting


def bincount(input, weights=None, minlength: int = 0) -> Tensor:
    """How often each value 0, 1, ..., max occurs in a 1-d tensor of non-negative integers (the
    sum of their weights, if given)."""
    data = input._data
    xp = get_array_module(data)
    support.refuse(input, "bincount_cpu", support.BOOL | {"float16", "float32", "float64"})
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if data.ndim != 1 or (data.size and int(data.min()) < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return Tensor._make(_int64(xp, xp.bincount(data, minlength=minlength)))
    if weights._data.ndim != 1 or weights._data.shape[0] != data.shape[0]:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    dtype = weights._data.dtype if weights.dtype == dtypes.float32 else dtypes.float64.numpy
    counts = xp.bincount(data, weights=weights._data.astype(dtypes.float64.numpy),
                         minlength=minlength)
    return _result(counts.astype(dtype), weights, name="bincount")


def _finite_range(name, low, high, message):
    for edge in (low, high):
        if edge != edge or edge in (float("inf"), float("-inf")):
            raise RuntimeError(message.format(f"{low:g}", f"{high:g}"))


def histc(input, bins: int = 100, min=0, max=0) -> Tensor:
    """Counts of the elements in `bins` equal bins between min and max (the data's own range
    when min == max); elements outside are ignored."""
    data = input._data
    xp = get_array_module(data)
    support.refuse(input, "histogram_cpu", support.INTEGRAL)
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    low, high = float(min), float(max)
    if low == high and data.size:
        low, high = float(data.min()), float(data.max())
    if low == high:
        low, high = low - 1, high + 1
    _finite_range("histc", low, high, "torch.histc: range of [{}, {}] is not finite")
    if not low < high:
        raise RuntimeError("torch.histc: max must be larger than min")
    edges = xp.linspace(low, high, bins + 1).astype(data.dtype)
    flat = data.reshape(-1)
    inside = flat[(flat >= edges[0]) & (flat <= edges[-1])]
    # torch's linear bin search, in the input's dtype: (x - min) · bins / (max - min)
    position = ((inside - edges[0]) * data.dtype.type(bins) / (edges[-1] - edges[0]))
    position = xp.minimum(position.astype(xp.int64), bins - 1)
    return Tensor._make(xp.bincount(position, minlength=bins).astype(data.dtype))


def histogram(input, bins, *, range=None, weight=None, density: bool = False):
    """(hist, bin_edges): the (weighted) counts of the elements in the bins given by their
    edges, or by a number of equal bins over `range` (the data's range by default)."""
    data = input._data
    xp = get_array_module(data)
    support.refuse(input, "histogramdd", support.INTEGRAL)
    flat = data.reshape(-1)
    if isinstance(bins, Tensor):
        if bins._data.ndim != 1:
            raise RuntimeError("torch.histogramdd: bins tensor should have one dimension, but "
                               f"got {bins._data.ndim} dimensions in the bins tensor for "
                               "dimension 0")
        if bins.dtype != input.dtype:
            raise RuntimeError(
                "torch.histogramdd: input tensor and bins tensors should have the same dtype, "
                f"but got input with dtype {input.dtype.scalar_name.lower()} and bins for "
                f"dimension 0 with dtype {bins.dtype.scalar_name.lower()}")
        edges = bins._data.copy()
    else:
        if bins <= 0:
            raise RuntimeError(f"torch.histogramdd: bins must be > 0, but got {bins} for "
                               "dimension 0")
        if range is not None:
            low, high = float(range[0]), float(range[1])
        else:
            low, high = (float(flat.min()), float(flat.max())) if flat.size else (0.0, 1.0)
        if low > high:
            raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min "
                               f"{low:g} max {high:g} for dimension 0")
        _finite_range("histogram", low, high,
                      "torch.histogramdd: dimension 0's range [{}, {}] is not finite")
        if low == high:
            low, high = low - 0.5, high + 0.5
        edges = xp.linspace(low, high, bins + 1).astype(data.dtype)
    if weight is not None:
        if weight.dtype != input.dtype:
            raise RuntimeError(
                "torch.histogramdd: if weight tensor is provided, input tensor and weight "
                f"tensor should have the same dtype, but got input("
                f"{input.dtype.scalar_name.lower()}), and weight("
                f"{weight.dtype.scalar_name.lower()})")
        if tuple(weight.shape) != tuple(input.shape):
            raise RuntimeError(
                "torch.histogramdd: if weight tensor is provided it should have the same shape "
                "as the input tensor excluding its innermost dimension, but got input with "
                f"shape [{flat.size}, 1] and weight with shape {list(weight.shape)}")
    count = edges.size - 1
    inside = (flat >= edges[0]) & (flat <= edges[-1])
    position = xp.minimum(xp.searchsorted(edges, flat[inside], side="right") - 1, count - 1)
    values = None if weight is None else weight._data.reshape(-1)[inside]
    hist = xp.bincount(position, weights=values, minlength=max(count, 0))[:max(count, 0)]
    hist = hist.astype(data.dtype)
    if density:
        hist = hist / (hist.sum() * xp.diff(edges))
    return _Histogram(_result(hist.astype(data.dtype), input, name="histogram"),
                      _result(edges, input, name="histogram"))


# ----------------------------------------------------------------------------- searching


def _side(side, right: bool) -> bool:
    """True for the right side: side='right' or right=True (they must agree when both given)."""
    if side is None:
        return right
    if side not in ("left", "right"):
        raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got "
                           f"{side}")
    if right and side == "left":
        raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got "
                           "side of left while right was True")
    return side == "right"


def _positions(xp, boundaries, values, right: bool):
    """Where each value would be inserted into its row of sorted boundaries (the last dim): the
    number of boundaries below it (or not above it, to the right)."""
    if boundaries.ndim == 1:
        return xp.searchsorted(boundaries, values, side="right" if right else "left")
    before = ~(boundaries[..., None, :] > values[..., :, None]) if right else \
        ~(boundaries[..., None, :] >= values[..., :, None])
    return before.sum(-1)


def searchsorted(sorted_sequence, input, *, out_int32: bool = False, right: bool = False,
                 side=None, sorter=None) -> Tensor:
    """The indices at which the values would be inserted to keep each row of sorted_sequence
    (its last dim) sorted."""
    right = _side(side, right)
    boundaries = sorted_sequence._data
    xp = get_array_module(boundaries)
    if boundaries.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive "
                           "dimension, but got 0 dimension")
    scalar = not isinstance(input, Tensor)
    values = xp.asarray(input) if scalar else input._data
    if boundaries.ndim > 1 and boundaries.shape[:-1] != values.shape[:-1]:
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
            "dimensions of boundaries tensor and input value tensor must match, but we got "
            f"boundaries tensor {list(boundaries.shape)} and input value tensor "
            f"{list(values.shape)}")
    if sorter is not None:
        if sorter.dtype != dtypes.int64:
            raise RuntimeError("torch.searchsorted(): sorter must be a tensor of long dtype but "
                               f"got dtype {sorter.dtype.scalar_name}")
        if tuple(sorter.shape) != boundaries.shape:
            raise RuntimeError(
                "torch.searchsorted(): boundary and sorter must have the same size, but got "
                f"boundary tensor {list(boundaries.shape)}and got sorter tensor "
                f"{list(sorter.shape)}")
        boundaries = xp.take_along_axis(boundaries, sorter._data, axis=-1)
    found = _positions(xp, boundaries, values, right)
    return Tensor._make(xp.asarray(found).astype(xp.int32 if out_int32 else xp.int64))


def bucketize(input, boundaries, *, out_int32: bool = False, right: bool = False) -> Tensor:
    """The index of the bucket of each element: boundaries[i-1] < x <= boundaries[i]
    (boundaries[i-1] <= x < boundaries[i] with right=True)."""
    if boundaries._data.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim("
                           f"{boundaries._data.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


METHODS = {
    "unique": unique, "unique_consecutive": unique_consecutive, "bincount": bincount,
    "histc": histc, "histogram": histogram,
}
