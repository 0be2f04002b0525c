"""More of torch's shape functions: diagonals (diag, diagonal, diag_embed, trace and the
diagonal's scatter), tile and repeat_interleave, rot90 and the flips, the splits (tensor_split,
hsplit/vsplit/dsplit, split_with_sizes), unfold's sliding windows, narrow_copy, moveaxis.

Each is composed from the primitives (view, index, flip, repeat, index_select, ...), so its
gradient comes from theirs; the two strided views that need a primitive of their own, the
diagonal and the windows, are in shape_more_ops.py.
"""
from __future__ import annotations

from .. import dtypes
from ..backend import get_array_module
from ..ops import indexing as idx
from ..tensor import Tensor
from . import dtype_support as support
from . import shape_more_ops as smo
from ._args import wrap_dim
from .indexing import index_select
from .shape import flip, movedim, narrow, repeat, reshape, split, transpose

__all__ = ["adjoint", "diag", "diag_embed", "diagonal", "diagonal_scatter", "dsplit", "fliplr",
           "flipud", "hsplit", "moveaxis", "narrow_copy", "ravel", "repeat_interleave", "rot90",
           "split_with_sizes", "tensor_split", "tile", "trace", "unsafe_chunk", "unsafe_split",
           "unsafe_split_with_sizes", "vsplit"]

# ----------------------------------------------------------------------------- diagonals


def _diagonal_dims(ndim: int, dim1: int, dim2: int) -> tuple:
    axes = wrap_dim(dim1, ndim), wrap_dim(dim2, ndim)
    if axes[0] == axes[1]:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return axes


def diagonal(input, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The diagonal of the (dim1, dim2) planes, as a new last axis (a view)."""
    dim1, dim2 = _diagonal_dims(input._data.ndim, dim1, dim2)
    return smo.Diagonal.apply(input, offset=offset, dim1=dim1, dim2=dim2)


def _into_diagonal(input, src, offset: int, dim1: int, dim2: int) -> Tensor:
    """input with its diagonal replaced by src (src's last axis runs along the diagonal)."""
    key, axis = smo.diagonal_key(get_array_module(input._data), input._data.shape, offset, dim1,
                                 dim2)
    return idx.IndexPut.apply(input, src.movedim(-1, axis), key=key)


def diagonal_scatter(input, src, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """input with diagonal(input, offset, dim1, dim2) replaced by src (out of place)."""
    dim1, dim2 = _diagonal_dims(input._data.ndim, dim1, dim2)
    shape = input._data.shape
    check_slice_size(src, tuple(n for a, n in enumerate(shape) if a not in (dim1, dim2))
                        + (smo.diagonal_length(shape, offset, dim1, dim2),))
    return _into_diagonal(input, src.to(input.dtype), offset, dim1, dim2)


def check_slice_size(src, shape: tuple) -> None:
    if tuple(src.shape) != tuple(shape):
        raise RuntimeError("expected src to have a size equal to the slice of self. src size = "
                           f"{list(src.shape)}, slice size = {list(shape)}")


def diag_embed(input, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Matrices (in dims dim1, dim2 of a tensor one dim larger) whose diagonal is input's last
    axis, zeros elsewhere."""
    dim1, dim2 = _diagonal_dims(input._data.ndim + 1, dim1, dim2)
    size = input._data.shape[-1] + abs(offset)
    shape = list(input._data.shape[:-1])
    for axis in sorted((dim1, dim2)):
        shape.insert(axis, size)
    zeros = Tensor._make(get_array_module(input._data).zeros(shape, dtype=input._data.dtype))
    return _into_diagonal(zeros, input, offset, dim1, dim2)


def diag(input, diagonal: int = 0) -> Tensor:
    """A vector's square matrix (the vector on the `diagonal`-th diagonal), or a matrix's
    diagonal (a copy)."""
    ndim = input._data.ndim
    if ndim not in (1, 2):
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {ndim}D")
    if ndim == 1:
        return diag_embed(input, diagonal, 0, 1)
    return smo.Diagonal.apply(input, offset=diagonal, dim1=0, dim2=1).clone()


def trace(input) -> Tensor:
    """The sum of a matrix's diagonal (integers sum to int64, as torch.sum)."""
    if input._data.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    support.refuse(input, "trace")
    return diagonal(input).sum()


def adjoint(input) -> Tensor:
    """The conjugate transpose of the last two dims (a view; real tensors only here)."""
    if input._data.ndim < 2:
        raise RuntimeError("tensor.adjoint() is only supported on matrices or batches of "
                           f"matrices. Got {input.ndim}-D tensor.")
    return transpose(input, -2, -1)


# ----------------------------------------------------------------------------- repeating


def tile(input, dims) -> Tensor:
    """repeat(), with ones put in front of dims when it has fewer entries than input has dims."""
    if not isinstance(dims, (tuple, list)):
        raise TypeError(f"tile(): argument 'dims' (position 2) must be tuple of ints, not "
                        f"{type(dims).__name__}")
    dims = (1,) * (input._data.ndim - len(dims)) + tuple(dims)
    return repeat(input, dims)


def _tile_method(self, *dims, **kwargs) -> Tensor:
    """x.tile(2, 3) and x.tile((2, 3)): the method also takes the sizes as arguments."""
    if "dims" in kwargs:
        return tile(self, kwargs["dims"])
    return tile(self, tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], (tuple, list))
                else dims)


def _repeat_counts(repeats, input, axis: int):
    """The number of copies of each index along `axis`, as an int64 array."""
    xp = get_array_module(input._data)
    if repeats._data.ndim > 1:
        raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
    support.refuse(repeats, "repeat_interleave_cpu", frozenset({"float16", "float32",
                                                                 "float64", "bool"}))
    size = input._data.shape[axis]
    counts = repeats._data.reshape(-1).astype(xp.int64)
    if counts.size == 1:
        counts = xp.full(size, int(counts[0]), dtype=xp.int64)
    elif counts.size != size:
        raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                           f"repeats.size(0) = {counts.size} and input.size({axis}) = {size}")
    if counts.size and int(counts.min()) < 0:
        raise RuntimeError("repeats can not be negative")
    return counts


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None) -> Tensor:
    """Each element (each slice along dim) repeated `repeats` times in place:
    [a, b] -> [a, a, b, b]; repeats may be a tensor of counts, one per slice. Without dim the
    input is flattened first. torch.repeat_interleave(counts) gives the repeated indices."""
    if repeats is None:
        if input._data.ndim != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        xp = get_array_module(input._data)
        counts = _repeat_counts(input, input, 0)
        return Tensor._make(xp.repeat(xp.arange(counts.size, dtype=input._data.dtype), counts))
    if dim is None:
        input, dim = reshape(input, -1), 0
    axis = wrap_dim(dim, input._data.ndim)
    if isinstance(repeats, Tensor):
        counts = _repeat_counts(repeats, input, axis)
        total = int(counts.sum())
        if output_size is not None and output_size != total:
            raise RuntimeError("allocated size does not match required size")
        xp = get_array_module(counts)
        index = xp.repeat(xp.arange(counts.size, dtype=xp.int64), counts)
        return index_select(input, axis, Tensor._make(index))
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    copies = input.unsqueeze(axis + 1)  # (.., n, 1, ..) -> (.., n, repeats, ..) -> (.., n * r, ..)
    shape = input._data.shape
    if output_size is not None and output_size != shape[axis] * repeats:
        raise RuntimeError(f"repeat_interleave: Invalid output_size, expected "
                           f"{shape[axis] * repeats} but got {output_size}")
    target = shape[:axis + 1] + (repeats,) + shape[axis + 1:]
    return reshape(copies.expand(target), shape[:axis] + (shape[axis] * repeats,)
                   + shape[axis + 1:])


def ravel(input) -> Tensor:
    """The elements as one row (a view when the memory allows)."""
    return reshape(input, -1)


def narrow_copy(input, dim: int, start: int, length: int) -> Tensor:
    return narrow(input, dim, start, length).clone()


def moveaxis(input, source, destination) -> Tensor:
    return movedim(input, source, destination)


# ----------------------------------------------------------------------------- flips


def rot90(input, k: int = 1, dims=(0, 1)) -> Tensor:
    """Rotate by 90 degrees k times in the plane of dims, from the first axis to the second."""
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    ndim = input._data.ndim
    if ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {ndim}")
    if dims[0] == dims[1] or abs(dims[0] - dims[1]) == ndim:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} "
                           f"and dim1 = {dims[1]}")
    first, second = wrap_dim(dims[0], ndim), wrap_dim(dims[1], ndim)
    turns = k % 4
    if turns == 1:
        return transpose(flip(input, second), first, second)
    if turns == 2:
        return flip(input, (first, second))
    if turns == 3:
        return transpose(flip(input, first), first, second)
    return input.clone()


def fliplr(input) -> Tensor:
    if input._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, 1)


def flipud(input) -> Tensor:
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, 0)


# ----------------------------------------------------------------------------- splits


def _split_points(input, indices_or_sections, axis: int) -> list:
    """The cut points of tensor_split: given, or those of `sections` nearly equal pieces (the
    first size % sections pieces one longer)."""
    if isinstance(indices_or_sections, Tensor):
        given = indices_or_sections
        if given._data.ndim > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a "
                               "zero-dimensional or one-dimensional tensor, but got a tensor "
                               f"with {given.ndim} dims")
        if given.dtype is not dtypes.int64:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype "
                               f"of long, but got {given.dtype.scalar_name}")
        indices_or_sections = given.item() if given._data.ndim == 0 else given.tolist()
    if isinstance(indices_or_sections, (tuple, list)):
        return [i.__index__() for i in indices_or_sections]
    sections = indices_or_sections.__index__()
    if sections <= 0:
        raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
    size = input._data.shape[axis]
    points, start = [], 0
    for number in range(sections - 1):
        start += size // sections + (number < size % sections)
        points.append(start)
    return points


def tensor_split(input, indices_or_sections=None, dim: int = 0, *, sections=None, indices=None,
                 tensor_indices_or_sections=None) -> tuple:
    """Views of input cut at the given indices along dim (as Python slices cut), or in
    `sections` pieces of nearly equal size."""
    given = [v for v in (indices_or_sections, sections, indices, tensor_indices_or_sections)
             if v is not None]
    if len(given) != 1:
        raise TypeError("tensor_split() missing required argument 'indices_or_sections'")
    if input._data.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    axis = wrap_dim(dim, input._data.ndim)
    points = _split_points(input, given[0], axis)
    lead = (slice(None),) * axis
    return tuple(input[lead + (slice(start, stop),)]
                 for start, stop in zip([0] + points, points + [None]))


def _split_by_name(name: str, least: int, dim: int):
    def split_along(input, indices_or_sections) -> tuple:
        ndim = input._data.ndim
        if ndim < least:
            raise RuntimeError(f"torch.{name} requires a tensor with at least {least} dimension, "
                               f"but got a tensor with {ndim} dimensions!")
        axis = dim if ndim > 1 else 0
        if not isinstance(indices_or_sections, (tuple, list)):
            sections = indices_or_sections
            size = input._data.shape[axis]
            if sections == 0 or size % sections:
                raise RuntimeError(f"torch.{name} attempted to split along dimension {axis}, but "
                                   f"the size of the dimension {size} is not divisible by the "
                                   f"split_size {sections}!")
        return tensor_split(input, indices_or_sections, axis)
    split_along.__name__ = name
    return split_along


hsplit = _split_by_name("hsplit", 1, 1)
vsplit = _split_by_name("vsplit", 2, 0)
dsplit = _split_by_name("dsplit", 3, 2)


def _split_method(self, split_size, dim: int = 0) -> tuple:
    """Tensor.split names its sizes split_size (torch.split: split_size_or_sections)."""
    return split(self, split_size, dim)


def split_with_sizes(input, split_sizes, dim: int = 0) -> tuple:
    return split(input, list(split_sizes), dim)


def unsafe_split(input, split_size, dim: int = 0) -> tuple:
    """split (torch's unsafe_ form only skips a check on views modified in place)."""
    return split(input, split_size, dim)


def unsafe_split_with_sizes(input, split_sizes, dim: int = 0) -> tuple:
    return split_with_sizes(input, split_sizes, dim)


def unsafe_chunk(input, chunks: int, dim: int = 0) -> tuple:
    return input.chunk(chunks, dim)


# ----------------------------------------------------------------------------- windows


def unfold(self, dimension: int, size: int, step: int) -> Tensor:
    """Tensor.unfold: every window of `size` elements along dimension, `step` apart, as a new
    last axis (a view): (.., n, ..) -> (.., (n - size) // step + 1, .., size)."""
    ndim = self._data.ndim
    axis = wrap_dim(dimension, ndim)
    length = self._data.shape[axis] if ndim else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {axis} is {length} but size is "
                           f"{size}")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if ndim == 0:
        return reshape(self, 1)
    return smo.Unfold.apply(self, dimension=axis, size=size, step=step)


METHODS = {
    "adjoint": adjoint, "diag": diag, "diag_embed": diag_embed, "diagonal": diagonal,
    "diagonal_scatter": diagonal_scatter, "dsplit": dsplit, "fliplr": fliplr, "flipud": flipud,
    "hsplit": hsplit, "moveaxis": moveaxis, "narrow_copy": narrow_copy, "ravel": ravel,
    "repeat_interleave": repeat_interleave, "rot90": rot90, "split": _split_method,
    "split_with_sizes": split_with_sizes,
    "tensor_split": tensor_split, "tile": _tile_method, "trace": trace, "unfold": unfold,
    "unsafe_chunk": unsafe_chunk, "unsafe_split": unsafe_split,
    "unsafe_split_with_sizes": unsafe_split_with_sizes, "vsplit": vsplit,
}
