"""More of torch's indexing: index_add/index_copy/index_fill/index_put along a dim, put, the
scatters of a slice (select_scatter, slice_scatter), masked_scatter, take_along_dim,
scatter_reduce, argwhere, and their in-place forms (index_add_, ..., fill_diagonal_, tril_).

Each writes through the indexing primitives (IndexPut, IndexToZeros, gather), whose backwards
give the gradients: a written place passes none to input, a read one passes dy to its source.
scatter_reduce has a primitive of its own (indexing_more_ops.py).
"""
from __future__ import annotations

from .. import backend, dtypes
from ..ops import indexing as idx
from ..tensor import Tensor
from . import indexing_more_ops as imo
from ._args import broadcast_shapes, checked_scalar, wrap_dim
from .indexing import _check_index, first_outside, gather, index_put_, nonzero
from .inplace import _inplace_unary
from .shape import broadcast_to, reshape, select
from .shape_more import check_slice_size
from .triangular import tril, triu

__all__ = ["argwhere", "index_add", "index_copy", "index_fill", "index_put", "masked_scatter",
           "put", "scatter_reduce", "select_scatter", "slice_scatter", "take_along_dim"]

# ----------------------------------------------------------------------------- along a dim


def _index_key(input, dim: int, index, function: str, negative: bool = False) -> tuple:
    """The NumPy key input[..., index, ...] along dim, with torch's range check (only
    index_fill takes negative indices)."""
    ndim = input._data.ndim
    axis = wrap_dim(dim, ndim)
    size = input._data.shape[axis] if ndim else 1
    array = index._data.reshape(-1)
    bad = first_outside(array, -size if negative else 0, size)
    if bad is not None:
        error = IndexError if function != "index_add_" else RuntimeError
        prefix = "index_copy_(): " if function == "index_copy_" else ""
        raise error(f"{prefix}index {bad} is out of bounds for dimension {axis} with size {size}")
    return (slice(None),) * axis + (array,), axis


def _as_1d(tensor):
    return reshape(tensor, 1) if tensor._data.ndim == 0 else tensor


def _check_source(function: str, input, index, source, axis: int) -> None:
    """source has input's shape but along dim, where it has one slice per index."""
    count = index._data.size
    have = source._data.shape[axis] if source._data.ndim else 1
    if count != have:
        if function == "index_copy_":
            raise IndexError(f"index_copy_(): Number of indices ({count}) should be equal to "
                             f"source.size(dim) ({have})")
        raise RuntimeError(f"index_add_(): Number of indices ({count}) should be equal to "
                           f"source.size(dim): ({have}), for dim: {axis}")
    ours = [n for a, n in enumerate(input._data.shape) if a != axis]
    theirs = [n for a, n in enumerate(source._data.shape) if a != axis]
    if source._data.ndim and ours != theirs:
        if function == "index_copy_":
            raise RuntimeError("index_copy_(): Source/destination tensor must have same slice "
                               f"shapes. Destination slice shape: {' '.join(map(str, ours))} at "
                               f"dimension {axis} and source slice shape: "
                               f"{' '.join(map(str, theirs))} at dimension {axis}.")
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the "
                           f"specified dimension. Got self.shape = {list(input.shape)} "
                           f"source.shape = {list(source.shape)}")


def index_add(input, dim: int, index, source, *, alpha=1) -> Tensor:
    """input with alpha * source[.., k, ..] added to input[.., index[k], ..] along dim
    (repeated indices add up)."""
    if index.dtype not in (dtypes.int32, dtypes.int64):
        raise RuntimeError("index_add_(): Expected dtype int32/int64 for index but got: "
                           f"{index.dtype.scalar_name}")
    if index._data.ndim > 1:
        raise IndexError(f"index_add_(): Index is supposed to be a vector, but got dim: "
                         f"{index.ndim} with type: {index.dtype.scalar_name} and size: "
                         f"{list(index.shape)}")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"index_add_(): self ({input.dtype.scalar_name}) and source "
                           f"({source.dtype.scalar_name}) must have the same scalar type")
    if input._data.ndim == 0:
        return reshape(index_add(_as_1d(input), dim, index, _as_1d(source), alpha=alpha), ())
    key, axis = _index_key(input, dim, index, "index_add_")
    _check_source("index_add_", input, index, source, axis)
    if alpha != 1:  # an integer tensor takes an integer alpha (2.5 acts as 2, as in torch)
        source = source * (alpha if input.is_floating_point() else int(alpha))
    return input + idx.IndexToZeros.apply(source, key=key, shape=input._data.shape,
                                          accumulate=True)


def index_copy(input, dim: int, index, source) -> Tensor:
    """input with input[.., index[k], ..] = source[.., k, ..] along dim."""
    if index.dtype is not dtypes.int64:
        raise RuntimeError("index_copy_(): Expected a long tensor for index, but got "
                           f"{index.dtype.scalar_name}")
    if index._data.ndim > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {index.ndim})")
    if source.dtype is not input.dtype:
        raise RuntimeError("index_copy_(): self and source expected to have the same dtype, but "
                           f"got (self) {input.dtype.scalar_name} and (source) "
                           f"{source.dtype.scalar_name}")
    if input._data.ndim == 0:
        return reshape(index_copy(_as_1d(input), dim, index, _as_1d(source)), ())
    key, axis = _index_key(input, dim, index, "index_copy_")
    _check_source("index_copy_", input, index, source, axis)
    return idx.IndexPut.apply(input, _as_1d(source) if index._data.ndim else source, key=key)


def index_fill(input, dim: int, index, value) -> Tensor:
    """input with every input[.., index[k], ..] along dim set to value (a number, or a 0-d
    tensor, which then gets the gradient of all those places)."""
    if index.dtype is not dtypes.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if index._data.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError("index_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value.ndim} dimension(s).")
    if input._data.ndim == 0:
        return reshape(index_fill(_as_1d(input), dim, index, value), ())
    key, axis = _index_key(input, dim, index, "index_fill_", negative=True)
    xp = backend.get_array_module(key[-1])
    size = input._data.shape[axis]  # each place once: a repeated index fills it once, as torch
    key = key[:-1] + (xp.unique(key[-1] % size) if size else key[-1],)
    if isinstance(value, Tensor):
        value = broadcast_to(value.to(input.dtype), input._data[key].shape)
    else:
        value = checked_scalar(value, input._data.dtype)
    return idx.IndexPut.apply(input, value, key=key)


def index_put(input, indices, values, accumulate: bool = False) -> Tensor:
    """input with input[indices] = values (or += with accumulate), out of place."""
    return index_put_(input.clone(), indices, values, accumulate)


def put(input, index, source, accumulate: bool = False) -> Tensor:
    """input with its flattened elements input.flatten()[index] = source (or += with
    accumulate), out of place."""
    if index.dtype is not dtypes.int64:
        raise RuntimeError("put_(): Expected a long tensor for index, but got "
                           f"{index.dtype.scalar_name}")
    if source.dtype is not input.dtype:
        raise RuntimeError("put_(): self and source expected to have the same dtype, but got "
                           f"self.dtype = {input.dtype.scalar_name} and source.dtype = "
                           f"{source.dtype.scalar_name}")
    if source._data.size != index._data.size:
        raise IndexError("put_(): Expected source and index to have the same number of "
                         f"elements, but got source.numel() = {source.numel()}, index.numel() = "
                         f"{index.numel()}")
    count = input._data.size
    bad = first_outside(index._data, -count, count)
    if bad is not None:
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {count} "
                         "elements.")
    flat = index_put_(reshape(input, -1).clone(), (reshape(index, -1),), reshape(source, -1),
                      accumulate)
    return reshape(flat, input.shape)

# ----------------------------------------------------------------------------- slices


def select_scatter(input, src, dim: int, index: int) -> Tensor:
    """input with input.select(dim, index) replaced by src (out of place)."""
    part = select(input.detach(), dim, index)
    check_slice_size(src, tuple(part.shape))
    axis = wrap_dim(dim, input._data.ndim)
    key = (slice(None),) * axis + (index % input._data.shape[axis], Ellipsis)
    return idx.IndexPut.apply(input, src.to(input.dtype), key=key)


def slice_scatter(input, src, dim: int = 0, start=None, end=None, step: int = 1) -> Tensor:
    """input with input[.., start:end:step, ..] (along dim) replaced by src (out of place)."""
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    axis = wrap_dim(dim, input._data.ndim)
    key = (slice(None),) * axis + (slice(start, end, step), Ellipsis)
    check_slice_size(src, input._data[key].shape)
    return idx.IndexPut.apply(input, src.to(input.dtype), key=key)


def masked_scatter(input, mask, source) -> Tensor:
    """input with the places where mask is true filled, in order, by source's first elements
    (input and mask broadcast together)."""
    if mask.dtype is not dtypes.bool_:
        raise RuntimeError("masked_scatter_ only supports boolean masks, but got mask with dtype "
                           f"{mask.dtype.scalar_name}")
    if source.dtype is not input.dtype:
        raise RuntimeError("masked_scatter: expected self and source to have same dtypes but got"
                           f"{input.dtype.scalar_name} and {source.dtype.scalar_name}")
    shape = tuple(broadcast_shapes(tuple(mask.shape), tuple(input.shape)))
    input, mask = broadcast_to(input, shape), broadcast_to(mask, shape)
    count = int(mask._data.sum())
    if count > source._data.size:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    return idx.IndexPut.apply(input, reshape(source, -1)[:count], key=(mask._data,))


def take_along_dim(input, indices, dim=None) -> Tensor:
    """input's elements at `indices` along dim (gather, with input and indices broadcast
    against each other on the other dims); without dim, on the flattened input."""
    if indices.dtype is not dtypes.int64:
        raise RuntimeError("torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{indices.dtype.scalar_name}")
    if dim is None:
        return gather(reshape(input, -1), 0, reshape(indices, -1))
    ndim = input._data.ndim
    if ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    if ndim != indices._data.ndim:
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {ndim} dimensions for input, and "
                           f"{indices.ndim} dimensions for indices")
    axis = wrap_dim(dim, ndim)
    sizes = list(input.shape)
    sizes[axis] = indices.shape[axis]
    indices = broadcast_to(indices, tuple(broadcast_shapes(tuple(sizes), tuple(indices.shape))))
    sizes = list(indices.shape)
    sizes[axis] = input.shape[axis]
    input = broadcast_to(input, tuple(broadcast_shapes(tuple(sizes), tuple(input.shape))))
    size = input._data.shape[axis] if ndim else 1
    wrapped = Tensor._make(indices._data % size if size else indices._data)  # -1: the last
    return gather(input, axis, wrapped)


_REDUCTIONS = {"sum": "sum", "prod": "prod", "mean": "mean", "amax": "amax", "amin": "amin",
               "max": "amax", "min": "amin"}  # torch also takes max and min for amax, amin


def scatter_reduce(input, dim: int, index, src, reduce: str, *,
                   include_self: bool = True) -> Tensor:
    """input with src[i][j] reduced into input[index[i][j]][j] (for dim 0): sum, prod, mean,
    amax or amin over the values sent to each place, and input's own value if include_self."""
    if reduce not in _REDUCTIONS:
        raise RuntimeError("reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    axis = _check_index("scatter_reduce", input, dim, index)
    if src.dtype is not input.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    for want, got in zip(src._data.shape, index._data.shape):
        if got > want:
            raise RuntimeError(f"Expected index {list(index.shape)} to be no larger than self "
                               f"{list(input.shape)} apart from dimension {axis} and to be no "
                               f"larger size than src {list(src.shape)}")
    if input._data.ndim == 0:
        return reshape(scatter_reduce(_as_1d(input), 0, _as_1d(index), _as_1d(src), reduce,
                                      include_self=include_self), ())
    return imo.ScatterReduce2.apply(input, src, dim=axis, index=index._data,
                                    reduce=_REDUCTIONS[reduce], include_self=include_self)


def argwhere(input) -> Tensor:
    """The indices of the non-zero elements, one row each (as nonzero)."""
    return nonzero(input)

# ----------------------------------------------------------------------------- in place


def masked_scatter_(self, mask, source) -> Tensor:
    broadcast_to(mask, tuple(self.shape))  # the mask must broadcast to self, not self to it
    return _masked_scatter_inplace(self, mask, source)


def fill_diagonal_(self, fill_value, wrap: bool = False) -> Tensor:
    """self's main diagonal set to fill_value; a tall matrix with wrap=True starts again every
    columns + 1 rows (as NumPy's fill_diagonal)."""
    shape = self._data.shape
    if len(shape) < 2:
        raise RuntimeError("dimensions must larger than 1")
    if len(set(shape)) > 1 and len(shape) > 2:
        raise RuntimeError("all dimensions of input must be of equal length")
    xp = backend.get_array_module(self._data)
    length = min(shape)
    if wrap and len(shape) == 2 and shape[0] > shape[1] + 1:
        flat = xp.arange(0, shape[0] * shape[1], shape[1] + 1)
        key = (flat // shape[1], flat % shape[1])
    else:
        key = (xp.arange(length),) * len(shape)
    value = fill_value if isinstance(fill_value, Tensor) else \
        Tensor._make(xp.asarray(checked_scalar(fill_value, self._data.dtype),
                                dtype=self._data.dtype))
    return index_put_(self, tuple(Tensor._make(k) for k in key), value.to(self.dtype))


index_add_ = _inplace_unary("index_add_", index_add)
index_copy_ = _inplace_unary("index_copy_", index_copy)
index_fill_ = _inplace_unary("index_fill_", index_fill)
_masked_scatter_inplace = _inplace_unary("masked_scatter_", masked_scatter)
put_ = _inplace_unary("put_", put)
scatter_reduce_ = _inplace_unary("scatter_reduce_", scatter_reduce)
tril_ = _inplace_unary("tril_", tril)
triu_ = _inplace_unary("triu_", triu)

METHODS = {
    "argwhere": argwhere, "fill_diagonal_": fill_diagonal_,
    "index_add": index_add, "index_add_": index_add_, "index_copy": index_copy,
    "index_copy_": index_copy_, "index_fill": index_fill, "index_fill_": index_fill_,
    "index_put": index_put, "masked_scatter": masked_scatter, "masked_scatter_": masked_scatter_,
    "put": put, "put_": put_, "scatter_reduce": scatter_reduce, "scatter_reduce_": scatter_reduce_,
    "select_scatter": select_scatter, "slice_scatter": slice_scatter,
    "take_along_dim": take_along_dim, "tril_": tril_, "triu_": triu_,
}
