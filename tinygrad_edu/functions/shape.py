"""Shape functions (view, reshape, permute, cat, split, ...) and conversions (to, float, cpu)."""
from __future__ import annotations

import math

from .. import dtypes
from ..ops import indexing as idx
from ..ops import movement as mv
from ..tensor import Tensor
from . import promotion
from . import shape_ops as sho
from ._args import args_or_keyword, wrap_dim, wrap_dims, write_out
from .formats import check_memory_format


def _numel(shape) -> int:
    return math.prod(shape)


def _infer_shape(shape: tuple, numel: int) -> tuple:
    """Resolve one -1 in a requested shape, with torch's error for impossible shapes."""
    known = 1
    unknown = None
    for axis, size in enumerate(shape):
        if size == -1:
            if unknown is not None:
                raise RuntimeError("only one dimension can be inferred")
            unknown = axis
        elif size < 0:
            raise RuntimeError(f"invalid shape dimension {size}")
        else:
            known *= size
    if unknown is not None:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = shape[:unknown] + (numel // known,) + shape[unknown + 1:]
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def _shape_arg(args, keyword=None, name: str = "size", function: str = "view") -> tuple:
    args = args_or_keyword(args, keyword, name, function)
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    return tuple(a.__index__() if hasattr(a, "__index__") else a for a in args)


def view(input, *shape, size=None, dtype=None) -> Tensor:
    """The same memory seen with another shape (one size may be -1)."""
    if len(shape) == 1 and isinstance(shape[0], dtypes.dtype) or dtype is not None:
        return _view_as_dtype(input, dtypes.as_dtype(dtype or shape[0]))
    target = _infer_shape(_shape_arg(shape, size), input._data.size)
    try:
        return mv.View.apply(input, shape=target)
    except ValueError:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at "
                           "least one dimension spans across two contiguous subspaces). Use "
                           ".reshape(...) instead.") from None


def _view_as_dtype(input, dtype) -> Tensor:
    if input._requires_grad:
        raise RuntimeError("view(dtype) of a tensor that requires grad is not supported here")
    return Tensor._make(input._data.view(dtype.numpy))


def view_as(input, other) -> Tensor:
    return view(input, tuple(other.shape))


def reshape(input, *args, shape=None) -> Tensor:
    """A view when the memory layout allows, otherwise a copy (as torch)."""
    target = _infer_shape(_shape_arg(args, shape, "shape", "reshape"), input._data.size)
    if target == input._data.shape:
        return mv.View.apply(input, shape=target)
    try:
        return mv.View.apply(input, shape=target)
    except ValueError:
        return mv.View.apply(mv.Clone.apply(input, order="C"), shape=target)


def reshape_as(input, other) -> Tensor:
    return reshape(input, tuple(other.shape))


def flatten(input, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims start_dim..end_dim into one."""
    shape = input._data.shape
    start, end = wrap_dim(start_dim, len(shape)), wrap_dim(end_dim, len(shape))
    if not shape:
        return reshape(input, (1,))
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return input
    return reshape(input, shape[:start] + (_numel(shape[start:end + 1]),) + shape[end + 1:])


def unflatten(input, dim: int, sizes) -> Tensor:
    shape = input._data.shape
    axis = wrap_dim(dim, len(shape))
    sizes, size = tuple(sizes), shape[axis]
    known = _numel(n for n in sizes if n != -1)
    if not sizes or sizes.count(-1) > 1 or -1 in sizes and not known and not size:
        raise RuntimeError("unflatten: sizes must be non-empty" if not sizes else
                           "unflatten got an unexpected error:\n" + ("only one dimension can be "
                           "inferred" if sizes.count(-1) > 1 else "cannot reshape tensor of 0 "
                           f"elements into shape {list(sizes)}"))
    if not (known and size % known == 0 if -1 in sizes else known == size):
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the "
                           f"size of dim {axis} ({size}) in the input tensor")
    return view(input, shape[:axis] + _infer_shape(sizes, size) + shape[axis + 1:])


def squeeze(input, dim=None) -> Tensor:
    """Remove axes of size 1 (all of them, or those in `dim`)."""
    shape = input._data.shape
    if dim is None:
        axes = {a for a, size in enumerate(shape) if size == 1}
    else:
        dims = dim if isinstance(dim, (tuple, list)) else (dim,)
        axes = {wrap_dim(d, len(shape)) for d in dims}
        axes = {a for a in axes if a < len(shape) and shape[a] == 1}
    target = tuple(size for a, size in enumerate(shape) if a not in axes)
    op = sho.Squeeze if dim is None else (sho.SqueezeDims if isinstance(dim, (tuple, list))
                                          else sho.SqueezeDim)  # torch's three node names
    return op.apply(input, shape=target)


def unsqueeze(input, dim: int) -> Tensor:
    """Insert an axis of size 1 at `dim`."""
    shape = input._data.shape
    axis = wrap_dim(dim, len(shape) + 1)
    return mv.Unsqueeze.apply(input, shape=shape[:axis] + (1,) + shape[axis:])


def permute(input, *args, dims=None) -> Tensor:
    """Reorder the axes: y.shape[i] = x.shape[dims[i]]."""
    dims = _shape_arg(args, dims, "dims", "permute")
    ndim = input._data.ndim
    if len(dims) != ndim:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does "
                           "not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {ndim} is not equal to len(dims) = {len(dims)}")
    axes = tuple(wrap_dim(d, ndim) for d in dims)
    if len(set(axes)) != ndim:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return mv.Permute.apply(input, dims=axes)


def transpose(input, dim0: int, dim1: int) -> Tensor:
    """Swap two axes (a view)."""
    ndim = input._data.ndim
    if ndim == 0:
        return mv.View.apply(input, shape=())
    return mv.Transpose.apply(input, dim0=wrap_dim(dim0, ndim), dim1=wrap_dim(dim1, ndim))


swapaxes = swapdims = transpose


def t(input) -> Tensor:
    """Transpose a matrix (0-d and 1-d tensors come back unchanged)."""
    ndim = input._data.ndim
    if ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {ndim}D")
    if ndim < 2:
        return mv.View.apply(input, shape=input._data.shape)
    return mv.MatrixTranspose.apply(input, dim0=0, dim1=1)


def movedim(input, source, destination) -> Tensor:
    ndim = input._data.ndim
    given = [list(dims) if isinstance(dims, (tuple, list)) else [dims]
             for dims in (source, destination)]
    if len(given[0]) != len(given[1]):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({given[0]} "
                           f"dims) should contain the same number of dims as destination "
                           f"({given[1]} dims)")
    source, destination = ([wrap_dim(d, ndim) for d in dims] for dims in given)
    for name, dims, wrapped in zip(("source", "destination"), given, (source, destination)):
        if len(set(wrapped)) != len(wrapped):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({dims})")
    order = [a for a in range(ndim) if a not in source]
    for dst, src in sorted(zip(destination, source)):
        order.insert(dst, src)
    return permute(input, order if ndim else ())  # a 0-d tensor has no axis to move


def expand(input, *args, size=None) -> Tensor:
    """Broadcast to a larger shape without copying (-1 keeps a size)."""
    sizes = _shape_arg(args, size, "size", "expand")
    shape = input._data.shape
    if len(sizes) < len(shape):
        raise RuntimeError(f"expand({input.type()}{{{list(shape)}}}, size={list(sizes)}): the "
                           f"number of sizes provided ({len(sizes)}) must be greater or equal "
                           f"to the number of dimensions in the tensor ({len(shape)})")
    offset = len(sizes) - len(shape)
    target = []
    for axis, size in enumerate(sizes):
        current = shape[axis - offset] if axis >= offset else None
        if size == -1:
            if current is None:
                raise RuntimeError("The expanded size of the tensor (-1) isn't allowed in a "
                                   "leading, non-existing dimension 0")
            size = current
        elif current is not None and current != size and current != 1:
            raise RuntimeError(f"The expanded size of the tensor ({size}) must match the "
                               f"existing size ({current}) at non-singleton dimension {axis}.  "
                               f"Target sizes: {list(sizes)}.  Tensor sizes: {list(shape)}")
        target.append(size)
    target = tuple(target)
    if target == shape:
        return mv.View.apply(input, shape=shape)
    return mv.Expand.apply(input, shape=target)


def expand_as(input, other) -> Tensor:
    return expand(input, tuple(other.shape))


def broadcast_to(input, size) -> Tensor:
    return expand(input, tuple(size))


def repeat(input, *args, repeats=None) -> Tensor:
    """Tile the tensor: sizes[i] copies along axis i (new leading axes allowed)."""
    sizes = _shape_arg(args, repeats, "repeats", "repeat")
    if not args and repeats is None:
        raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
    if len(sizes) < input._data.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    return sho.Repeat.apply(input, repeats=sizes)


def _same_dtype(tensors):
    common = promotion.result_type(*tensors) if len({t.dtype for t in tensors}) > 1 else None
    if common is None:
        return list(tensors)
    return [t if t.dtype is common else t.to(common) for t in tensors]


def cat(tensors, dim: int = 0, *, out=None) -> Tensor:
    """Join tensors along an existing axis."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for position, tensor in enumerate(tensors):
        if not isinstance(tensor, Tensor):
            raise TypeError(f"expected Tensor as element {position} in argument 0, but got "
                            f"{type(tensor).__name__}")
    # torch skips legacy empty 1-d tensors of shape (0,)
    kept = [t for t in tensors if not (t._data.ndim == 1 and t._data.shape[0] == 0)] or tensors
    reference = kept[0]
    axis = wrap_dim(dim, reference._data.ndim)
    for number, tensor in enumerate(kept):
        if tensor._data.ndim != reference._data.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got "
                               f"{reference._data.ndim} and {tensor._data.ndim}")
        for a, (want, got) in enumerate(zip(reference._data.shape, tensor._data.shape)):
            if a != axis and want != got:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {axis}. "
                                   f"Expected size {want} but got size {got} for tensor number "
                                   f"{number} in the list.")
    result = sho.Cat.apply(*_same_dtype(kept), dim=axis)
    if out is not None:
        return write_out(result, out, "cat")
    return result


concat = concatenate = cat


def stack(tensors, dim: int = 0, *, out=None) -> Tensor:
    """Join tensors of one shape along a new axis."""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    first = tuple(tensors[0].shape)
    for entry, tensor in enumerate(tensors):
        if tuple(tensor.shape) != first:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(first)}"
                               f" at entry 0 and {list(tensor.shape)} at entry {entry}")
    axis = wrap_dim(dim, len(first) + 1)
    return sho.Stack.apply(*_same_dtype(tensors), dim=axis)


def narrow(input, dim: int, start: int, length: int) -> Tensor:
    """input[..., start:start+length, ...] along dim (a view)."""
    if input._data.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    axis = wrap_dim(dim, input._data.ndim)
    size = input._data.shape[axis]
    start = start.item() if isinstance(start, Tensor) else start
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but "
                         f"got {start})")
    start = start + size if start < 0 else start
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    key = (slice(None),) * axis + (slice(start, start + length), Ellipsis)
    return idx.Slice.apply(input, key=key)


def select(input, dim: int, index: int) -> Tensor:
    """input[..., index, ...] along dim: one fewer axis (a view)."""
    axis = wrap_dim(dim, input._data.ndim)
    size = input._data.shape[axis]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(input.shape)} at dimension {axis}")
    key = (slice(None),) * axis + (index % size, Ellipsis)
    return idx.Select.apply(input, key=key)


def unbind(input, dim: int = 0) -> tuple:
    if input._data.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    axis = wrap_dim(dim, input._data.ndim)
    return tuple(select(input, axis, i) for i in range(input._data.shape[axis]))


def _along(function: str, tensor, dim: int) -> tuple:
    if tensor._data.ndim == 0:
        raise RuntimeError(f"{function} expects at least a 1-dimensional tensor")
    axis = wrap_dim(dim, tensor._data.ndim)
    return axis, tensor._data.shape[axis]


def split(tensor, split_size_or_sections, dim: int = 0) -> tuple:
    """Pieces of `split_size` along dim (the last may be smaller), or of the given sizes."""
    axis, size = _along("split", tensor, dim)
    if not isinstance(split_size_or_sections, (tuple, list)):
        step = split_size_or_sections.__index__()
        if step < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got "
                               f"split_size={step}")
        if step == 0 and size:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {size}")
        sections = [min(step, size - start) for start in range(0, size, step)] if step else [0]
    else:
        sections = list(split_size_or_sections)
        if any(length < 0 for length in sections):
            raise RuntimeError("split_with_sizes expects split_sizes have only non-negative "
                               f"entries, but got split_sizes={sections}")
        if sum(sections) != size:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} "
                               f"(input tensor's size at dimension {axis}), but got "
                               f"split_sizes={sections}")
    pieces, start = [], 0
    for length in sections:
        pieces.append(narrow(tensor, axis, start, length))
        start += length
    return tuple(pieces)


def chunk(input, chunks: int, dim: int = 0) -> tuple:
    """Split into `chunks` pieces of ceil(size / chunks) (fewer if the size runs out; `chunks`
    empty pieces of an empty dim)."""
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    _, size = _along("chunk", input, dim)
    return split(input, [0] * chunks if size == 0 else math.ceil(size / chunks), dim)


def flip(input, *args, dims=None) -> Tensor:
    """Reverse the order along dims (a copy; a 0-d tensor has nothing to reverse)."""
    axes = wrap_dims(_shape_arg(args, dims, "dims", "flip"), input._data.ndim)
    return sho.Flip.apply(input, dims=axes or ())


def roll(input, shifts, dims=None) -> Tensor:
    shifts = tuple(shifts) if isinstance(shifts, (tuple, list)) else (shifts,)
    dims = () if dims is None else tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)
    if not shifts:
        raise RuntimeError("`shifts` required")
    if not dims and len(shifts) == 1:  # one shift and no dim: the flattened tensor rolls
        return sho.Roll.apply(input.flatten(), shifts=shifts[0], dims=None).view(input.shape)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                           f"dims:{len(dims)}")
    return sho.Roll.apply(input, shifts=shifts, dims=tuple(wrap_dim(d, input._data.ndim)
                                                          for d in dims))


def clone(input, *, memory_format=None) -> Tensor:
    check_memory_format(memory_format, input._data.ndim, "clone")
    return mv.Clone.apply(input)


def contiguous(input, *, memory_format=None) -> Tensor:
    check_memory_format(memory_format, input._data.ndim, "contiguous")
    return input if input._data.flags.c_contiguous else mv.Clone.apply(input, order="C")
