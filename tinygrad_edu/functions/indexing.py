"""Indexing: `x[key]`, `x[key] = value`, gather/scatter, index_select, masked_select."""
from __future__ import annotations

import re
import warnings

from .. import arrays, backend, dtypes
from ..autograd import grad_mode
from ..autograd.inplace import adopt, apply_inplace
from ..ops import indexing as idx
from ..tensor import Tensor
from . import indexing_ops as ixo
from ._args import broadcast_shapes, checked_scalar, tensor_only, wrap_dim
from .shape import broadcast_to, narrow

# ----------------------------------------------------------------------------- keys

def _normalize_key(key, data):
    """Turn a user's index into a NumPy key; says whether it is 'advanced' (arrays inside)."""
    parts = key if isinstance(key, tuple) else (key,)
    normalized = []
    advanced = False
    for part in parts:
        if part is None or part is Ellipsis:
            normalized.append(part)
        elif isinstance(part, slice):
            normalized.append(slice(*(_as_int(v) for v in (part.start, part.stop, part.step))))
            if part.step is not None and _as_int(part.step) <= 0:
                raise ValueError("step must be greater than zero")
        elif isinstance(part, Tensor):
            array = part._data
            if array.dtype.kind not in "biu":
                raise IndexError("tensors used as indices must be long, int, byte or bool "
                                 "tensors")
            if type(array) is not type(data):
                array = backend.to_device(array, backend.device_of(data))
            normalized.append(array)
            advanced = True
        elif isinstance(part, bool):
            normalized.append(part)
            advanced = True
        elif hasattr(part, "__index__") and not backend.is_array(part):  # NumPy ints too
            normalized.append(part.__index__())
        elif isinstance(part, range):  # made where the data is: no copy to a GPU
            xp = backend.get_array_module(data)
            with backend.device_context(backend.device_of(data)):
                normalized.append(xp.arange(part.start, part.stop, part.step, dtype=xp.int64))
            advanced = True
        elif isinstance(part, list) or backend.is_array(part):
            array = part if backend.is_array(part) else backend.asarray(part)
            if array.dtype.kind not in "biu" and array.size:
                raise IndexError("tensors used as indices must be long, int, byte or bool "
                                 "tensors")
            normalized.append(backend.to_device(array.astype(dtypes.int64.numpy) if array.size == 0
                                                else array, backend.device_of(data)))
            advanced = True
        else:
            kind = type(part)
            name = kind.__name__ if kind.__module__ == "builtins" else \
                f"{kind.__module__}.{kind.__name__}"
            raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or "
                             f"byte Variables are valid indices (got {name})")
    if not advanced and Ellipsis not in normalized:
        normalized.append(Ellipsis)  # so NumPy returns a 0-d view, never a scalar copy
    return tuple(normalized), advanced


def _as_int(value):
    if value is None or isinstance(value, int):
        return value
    return value.__index__()


def _translate_index_error(error: Exception, data) -> Exception:
    """NumPy's IndexError in torch's words ('dimension', not 'axis')."""
    message = str(error)
    too_many = re.match(r"too many indices for array: array is (\d+)-dimensional", message)
    if too_many:
        return IndexError(f"too many indices for tensor of dimension {too_many.group(1)}")
    message = message.replace("for axis", "for dimension")
    boolean = re.match(r"boolean index did not match indexed array along (?:axis|dimension) (\d+);"
                       r" size of (?:axis|dimension) is (\d+) but size of corresponding boolean "
                       r"(?:axis|dimension) is (\d+)", message)
    if boolean:
        return IndexError(f"The shape of the mask [{boolean.group(3)}] at index "
                          f"{boolean.group(1)} does not match the shape of the indexed tensor "
                          f"[{boolean.group(2)}] at index {boolean.group(1)}")
    return IndexError(message)


def _index_op(key, advanced):
    if advanced:
        return idx.AdvancedIndex
    ints = [k for k in key if isinstance(k, int)]
    others = [k for k in key if k is not Ellipsis and not isinstance(k, int)
              and k != slice(None)]
    if len(ints) == 1 and not others:
        return idx.Select
    if not ints and all(isinstance(k, slice) for k in others):
        return idx.Slice
    return idx.BasicIndex


def getitem(self, key) -> Tensor:
    """x[key]: basic indexing (ints, slices, None, ...) gives a view; arrays give a copy."""
    data = self._data
    if data.ndim == 0 and not isinstance(key, (tuple, type(None), type(Ellipsis), bool, Tensor)):
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                         "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
    numpy_key, advanced = _normalize_key(key, data)
    try:
        return _index_op(numpy_key, advanced).apply(self, key=numpy_key)
    except IndexError as error:
        raise _translate_index_error(error, data) from None


def setitem(self, key, value) -> None:
    """x[key] = value (a number or a tensor, broadcast), in place."""
    data = self._data
    numpy_key, _ = _normalize_key(key, data)
    if isinstance(value, Tensor):
        if type(value._data) is not type(data) and value._data.ndim:
            raise RuntimeError("Expected all tensors to be on the same device, but found at least "
                               f"two devices, {self.device} and {value.device}!")
        needs_graph = grad_mode.state.enabled and (self.requires_grad or value._requires_grad)
    else:
        value = checked_scalar(value, data.dtype)  # a number must fit, as torch checks
        needs_graph = grad_mode.state.enabled and self.requires_grad
    try:
        if not needs_graph:
            raw = value._data if isinstance(value, Tensor) else value
            if isinstance(value, Tensor) and type(raw) is not type(data):
                raw = backend.to_device(raw, self.device)
            data[numpy_key] = raw
            self._version_counter.bump("__setitem__")
            return
        if self._grad_fn is None and self._base is None and self._requires_grad:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                               "in-place operation.")
        if isinstance(value, Tensor) and value.dtype is not self.dtype:
            value = value.to(self.dtype)
        apply_inplace(self, idx.IndexPut, (self, value), {"key": numpy_key}, "copy_")
    except IndexError as error:
        raise _translate_index_error(error, data) from None
    except ValueError as error:
        if "read-only" in str(error):
            raise RuntimeError("unsupported operation: more than one element of the written-to "
                               "tensor refers to a single memory location. Please clone() the "
                               "tensor before performing the operation.") from None
        if "broadcast" in str(error) or "shape" in str(error):
            value_shape = list(value.shape) if isinstance(value, Tensor) else []
            raise RuntimeError(f"shape mismatch: value tensor of shape {value_shape} cannot be "
                               f"broadcast to indexing result of shape "
                               f"{list(data[numpy_key].shape)}") from None
        raise


# ----------------------------------------------------------------------------- along a dim

_INDEX_DTYPES = (dtypes.int32, dtypes.int64)  # what torch's indexing ops take as an index


def first_outside(index, low: int, high: int):
    """The first value of the index array outside [low, high), as torch reports it, or None
    (value checks only where the index is on the host: see backend.on_host)."""
    if not index.size or not backend.on_host(index):
        return None
    flat = index.reshape(-1)
    outside = flat[(flat < low) | (flat >= high)]
    return int(outside[0]) if outside.size else None


def _check_index(function: str, input, dim, index) -> int:
    """gather's and scatter's index: an int32 or int64 tensor with input's number of dims (a
    0-d tensor counts as 1-d, as in torch) and values in range. Returns the axis."""
    if not isinstance(index, Tensor):
        raise TypeError(f"{function}(): argument 'index' (position 3) must be Tensor, not "
                        f"{type(index).__name__}")
    if index.dtype not in _INDEX_DTYPES:
        family = "scatter" if function.startswith("scatter") else function  # torch's words
        raise RuntimeError(f"{family}(): Expected dtype int32/int64 for index")
    if type(index._data) is not type(input._data):  # the index goes to the op as an option
        arrays.check_same_device((input._data, index._data))
    axis = wrap_dim(dim, input._data.ndim)
    if max(index._data.ndim, 1) != max(input._data.ndim, 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as "
                           f"{'input' if function == 'gather' else 'self'} tensor")
    size = input._data.shape[axis] if input._data.ndim else 1
    bad = first_outside(index._data, 0, size)
    if bad is not None:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {axis} with size {size}")
    for a, (have, want) in enumerate(zip(input._data.shape, index._data.shape)):
        if a != axis and want > have:
            raise RuntimeError(f"Size does not match at dimension {a} expected index "
                               f"{list(index.shape)} to be no larger than self "
                               f"{list(input.shape)} apart from dimension {axis}")
    return axis


def _has_0d(*tensors) -> bool:
    return any(isinstance(t, Tensor) and t._data.ndim == 0 for t in tensors)


def _as_1d(tensor):
    """torch's indexing ops see a 0-d tensor as a 1-d one of size 1."""
    return tensor.reshape(1) if isinstance(tensor, Tensor) and tensor._data.ndim == 0 else tensor


def gather(input, dim: int, index, *, sparse_grad: bool = False) -> Tensor:
    """out[i][j] = input[index[i][j]][j] for dim 0 (and likewise for other dims)."""
    axis = _check_index("gather", input, dim, index)
    if _has_0d(input, index):
        return gather(_as_1d(input), 0, _as_1d(index)).reshape(index.shape)
    block = input  # torch reads only the index-sized block of the other dims
    for a, n in enumerate(index._data.shape):
        if a != axis and n < input._data.shape[a]:
            block = narrow(block, a, 0, n)
    return idx.Gather.apply(block, dim=axis, index=index._data)


def scatter(input, dim: int, index, src=None, *, value=None, reduce=None) -> Tensor:
    """input with input[index[i][j]][j] = src[i][j] (for dim 0); src may be a number."""
    if src is None:
        src = value
    axis = _check_index("scatter", input, dim, index)
    if input._data.ndim <= 1 and _has_0d(input, index, src):
        flat = scatter(_as_1d(input), 0, _as_1d(index), _as_1d(src), reduce=reduce)
        return flat.reshape(input.shape)
    index_array = index._data
    if reduce is not None:
        if reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
        if isinstance(src, Tensor):
            warnings.warn("The reduce argument of torch.scatter with Tensor src is deprecated and "
                          "will be removed in a future PyTorch release. Use torch.scatter_reduce "
                          "instead for more reduction options.", UserWarning, stacklevel=2)
        return ixo.ScatterReduce.apply(input, src, dim=axis, index=index_array, reduce=reduce)
    if isinstance(src, Tensor):
        if src.dtype is not input.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        return ixo.Scatter.apply(input, src, dim=axis, index=index_array)
    src = checked_scalar(src, input._data.dtype)
    return ixo.Scatter.apply(input, float(src) if input.is_floating_point() else src,
                             dim=axis, index=index_array)


def scatter_add(input, dim: int, index, src) -> Tensor:
    """input with input[index[i][j]][j] += src[i][j]; repeated indices add up."""
    axis = _check_index("scatter_add", input, dim, index)
    if input._data.ndim <= 1 and _has_0d(input, index, src):
        return scatter_add(_as_1d(input), 0, _as_1d(index), _as_1d(src)).reshape(input.shape)
    return idx.ScatterAdd.apply(input, src, dim=axis, index=index._data)


def scatter_(self, dim, index, src=None, *, value=None, reduce=None) -> Tensor:
    return adopt(self, scatter(self, dim, index, src, value=value, reduce=reduce), "scatter_")


def scatter_add_(self, dim, index, src) -> Tensor:
    return adopt(self, scatter_add(self, dim, index, src), "scatter_add_")


def index_select(input, dim: int, index) -> Tensor:
    """The slices input[..., index[k], ...] along dim, stacked in index order."""
    axis = wrap_dim(dim, input._data.ndim)
    tensor_only("index_select", index=index)
    if index._data.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if index.dtype not in _INDEX_DTYPES:
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if input._data.ndim == 0:  # one value to pick, and the result is 0-d too
        if index._data.size != 1:
            raise RuntimeError("index_select(): Index to scalar can have only 1 value, got "
                               f"{index._data.size} value(s)")
        return index_select(input.reshape(1), 0, index).reshape(())
    indices = index._data
    size = input._data.shape[axis] if input._data.ndim else 1
    if size == 0 and indices.size:
        raise RuntimeError("index_select(): self indexing axis dim should be positive")
    if backend.on_host(indices) and indices.size and (indices.min() < 0 or indices.max() >= size):
        raise IndexError("index out of range in self")  # torch takes no negative index here
    return getitem(input, (slice(None),) * axis + (index.reshape(-1),))


def masked_select(input, mask) -> Tensor:
    """The elements where mask is true, as a 1-d tensor."""
    if mask.dtype is not dtypes.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    if tuple(mask.shape) != tuple(input.shape):
        shape = broadcast_shapes(tuple(input.shape), tuple(mask.shape))
        input, mask = broadcast_to(input, shape), broadcast_to(mask, shape)
    return getitem(input, mask)


def nonzero(input, *, as_tuple: bool = False):
    xp = backend.get_array_module(input._data)
    if input._data.ndim == 0:  # torch: one row per non-zero, no columns
        count = int(bool(input._data != 0)) if not as_tuple else None
        if not as_tuple:
            return Tensor._make(xp.zeros((count, 0), dtype=dtypes.int64.numpy))
    found = xp.nonzero(input._data) if input._data.ndim else xp.nonzero(input._data.reshape(1))
    if as_tuple:
        return tuple(Tensor._make(a.astype(dtypes.int64.numpy)) for a in found)
    return Tensor._make(xp.stack(found, axis=1).astype(dtypes.int64.numpy) if found else
                        xp.zeros((0, 0), dtype=dtypes.int64.numpy))


def take(input, index) -> Tensor:
    tensor_only("take", input=input, index=index)
    if index.dtype is not dtypes.int64:
        raise RuntimeError("take(): Expected a long tensor for index, but got "
                           f"{index.dtype.scalar_name}")
    return getitem(input.reshape(-1), index)


def _check_source_dtype(self, indices: tuple, values, accumulate: bool) -> None:
    """index_put_ converts no values (but for one value under one mask, which is masked_fill)."""
    one_mask = len(indices) == 1 and isinstance(indices[0], Tensor) and \
        indices[0].dtype is dtypes.bool_ and not accumulate
    if isinstance(values, Tensor) and values.dtype is not self.dtype and \
            not (one_mask and values._data.size == 1):
        raise RuntimeError("Index put requires the source and destination dtypes match, got "
                           f"{self.dtype.scalar_name} for the destination and "
                           f"{values.dtype.scalar_name} for the source.")


def index_put_(self, indices, values, accumulate: bool = False) -> Tensor:
    """self[indices] = values; with accumulate=True, self[indices] += values, where an index
    that repeats adds each of its values (x + the values scattered into zeros)."""
    _check_source_dtype(self, tuple(indices), values, accumulate)
    if not accumulate:
        setitem(self, tuple(indices), values)
        return self
    numpy_key, _ = _normalize_key(tuple(indices), self._data)
    try:
        target_shape = self._data[numpy_key].shape
    except IndexError as error:
        raise _translate_index_error(error, self._data) from None
    if not isinstance(values, Tensor):
        values = Tensor._make(backend.asarray(values, self._data.dtype))
    values = broadcast_to(values.to(self.dtype), target_shape)
    return self.add_(idx.IndexToZeros.apply(values, key=numpy_key, shape=self._data.shape,
                                            accumulate=True))
