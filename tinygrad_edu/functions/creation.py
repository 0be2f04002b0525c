"""Creating tensors: from data, filled with a value, ranges, and random numbers."""
from __future__ import annotations

import math

from .. import backend, dtypes
from ..tensor import Tensor
from . import promotion
from ._args import args_or_keyword, checked_scalar, device_of, numpy_dtype, size_args
from .formats import check_memory_format, preserve_format


def _finish(array, requires_grad: bool) -> Tensor:
    tensor = Tensor._make(array)
    if requires_grad:
        tensor.requires_grad_(True)
    return tensor


_INT_OVERFLOW = "Overflow when unpacking long long"  # torch's words for an int beyond int64


def _infer_array(data, dtype, device, copy: bool):
    """An array for Python data, NumPy arrays or tensors, with torch's dtype inference."""
    if isinstance(data, Tensor):
        array = backend.to_device(data._data, device)
        if dtype is not None:
            array = array.astype(dtype.numpy, copy=False)
        return array.copy() if copy and array is data._data else array
    if backend.is_array(data):
        dtypes.from_numpy(data.dtype)  # refuses dtypes torch lacks, with torch's message
        array = backend.to_device(data, device)
        if dtype is not None:
            array = array.astype(dtype.numpy, copy=False)
        return array.copy() if copy and array is data else array
    if isinstance(data, backend.NUMPY_SCALAR) or \
            isinstance(_first_leaf(data), backend.NUMPY_SCALAR):
        # keeps the scalars' dtype
        array = backend.asarray(data, None if dtype is None else dtype.numpy, copy=True)
        dtypes.from_numpy(array.dtype)
        return backend.to_device(array, device)
    try:
        array = backend.asarray(data, None if dtype is None else dtype.numpy, copy=True)
    except OverflowError:  # a Python int that does not fit the integer dtype asked for
        raise ValueError(_INT_OVERFLOW) from None
    except (ValueError, TypeError) as error:
        raise ValueError(f"could not build a tensor from {type(data).__name__}: {error}") from None
    if dtype is None:
        kind = array.dtype.kind
        if kind in "uOf" and _int_beyond_int64(data, kind):
            raise ValueError(_INT_OVERFLOW)
        if kind == "f":
            array = array.astype(dtypes.get_default_dtype().numpy)
        elif kind in "iu":
            array = array.astype(dtypes.int64.numpy, copy=False)
        elif kind == "b":
            pass
        elif array.size == 0:
            array = array.astype(dtypes.get_default_dtype().numpy)
        else:
            raise TypeError(f"Could not infer dtype of {type(data).__name__}")
    if device.type != "cpu":
        array = backend.to_device(array, device)
    return array


def _int_beyond_int64(data, kind: str) -> bool:
    """NumPy keeps Python ints beyond int64 as uint64, objects, or (beside small ints) floats;
    torch refuses them. Only ints (no float anywhere) can make such a uint64 or float array."""
    first = _first_leaf(data)
    if not isinstance(first, int) or isinstance(first, bool):
        return False
    if kind in "uO":
        return True
    return not any(isinstance(leaf, float) for leaf in _leaves(data))


def _leaves(data):
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        else:
            yield item


def _first_leaf(data):
    while isinstance(data, (list, tuple)) and data:
        data = data[0]
    return data


def tensor(data, *, dtype=None, device=None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:
    """A new tensor holding a copy of `data` (numbers, nested lists, arrays or tensors)."""
    dtype = None if dtype is None else dtypes.as_dtype(dtype, function="tensor")
    array = _infer_array(data, dtype, device_of(device), copy=True)
    return _finish(array, requires_grad)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """Like `tensor`, but shares memory with `data` when dtype and device allow."""
    if isinstance(data, Tensor):
        if (dtype is None or data.dtype is dtypes.as_dtype(dtype)) and \
                (device is None or data.device == device_of(device)):
            return data
        return data.to(dtype=dtype, device=device)
    dtype = None if dtype is None else dtypes.as_dtype(dtype, function="as_tensor")
    return Tensor._make(_infer_array(data, dtype, device_of(device), copy=False))


def from_numpy(array) -> Tensor:
    """A tensor sharing memory with a NumPy array (changes to one show in the other)."""
    if not backend.is_array(array) or backend.device_of(array).type != "cpu":
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    dtypes.from_numpy(array.dtype)
    return Tensor._make(array)


# ----------------------------------------------------------------------------- filled

def _filled(fill, args, size, dtype, device, requires_grad, name, memory_format=None):
    """A new tensor of `fill` (None: uninitialised); its sizes as `args` or by keyword `size`."""
    shape = size_args(args_or_keyword(args, size, "size", name))
    if memory_format is preserve_format:  # only a tensor has a format to preserve
        raise RuntimeError("unsupported memory format Preserve")
    check_memory_format(memory_format, len(shape), name)
    dev = device_of(device)
    xp = backend.xp_for(dev)
    np_dtype = numpy_dtype(dtype, dtypes.get_default_dtype(), function=name)
    with backend.device_context(dev):
        if fill is None:
            array = xp.empty(shape, dtype=np_dtype)
        elif fill == 0:
            array = xp.zeros(shape, dtype=np_dtype)
        else:
            array = xp.full(shape, fill, dtype=np_dtype)
    return _finish(array, requires_grad)


def empty(*args, size=None, dtype=None, device=None, requires_grad=False, out=None, layout=None,
          pin_memory=False, memory_format=None) -> Tensor:
    return _filled(None, args, size, dtype, device, requires_grad, "empty", memory_format)


def zeros(*args, size=None, dtype=None, device=None, requires_grad=False, out=None,
          layout=None) -> Tensor:
    return _filled(0, args, size, dtype, device, requires_grad, "zeros")


def ones(*args, size=None, dtype=None, device=None, requires_grad=False, out=None,
         layout=None) -> Tensor:
    return _filled(1, args, size, dtype, device, requires_grad, "ones")


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False, out=None,
         layout=None) -> Tensor:
    if dtype is None:
        dtype = promotion.scalar_dtype(fill_value.item() if isinstance(fill_value, Tensor)
                                    else fill_value)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    fill_value = checked_scalar(fill_value, dtypes.as_dtype(dtype).numpy)
    return _filled(fill_value, (size,), None, dtype, device, requires_grad, "full")


def _like(tensor, dtype, device, memory_format=None):
    check_memory_format(memory_format, tensor.ndim, "empty_like")
    return (tensor.dtype if dtype is None else dtype,
            tensor.device if device is None else device)


def empty_like(input, *, dtype=None, device=None, requires_grad=False, layout=None,
               memory_format=None):
    dtype, device = _like(input, dtype, device, memory_format)
    return empty(input.shape, dtype=dtype, device=device, requires_grad=requires_grad)


def zeros_like(input, *, dtype=None, device=None, requires_grad=False, layout=None,
               memory_format=None):
    dtype, device = _like(input, dtype, device, memory_format)
    return zeros(input.shape, dtype=dtype, device=device, requires_grad=requires_grad)


def ones_like(input, *, dtype=None, device=None, requires_grad=False, layout=None,
              memory_format=None):
    dtype, device = _like(input, dtype, device, memory_format)
    return ones(input.shape, dtype=dtype, device=device, requires_grad=requires_grad)


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None,
              memory_format=None):
    dtype, device = _like(input, dtype, device, memory_format)
    return full(input.shape, fill_value, dtype=dtype, device=device, requires_grad=requires_grad)


# Tensor.new_*: same dtype and device as self unless given.
def new_empty(self, *args, size=None, dtype=None, device=None, requires_grad=False,
              layout=None, pin_memory=False):
    dtype, device = _like(self, dtype, device)
    return empty(*args, size=size, dtype=dtype, device=device, requires_grad=requires_grad)


def new_zeros(self, *args, size=None, dtype=None, device=None, requires_grad=False,
              layout=None, pin_memory=False):
    dtype, device = _like(self, dtype, device)
    return zeros(*args, size=size, dtype=dtype, device=device, requires_grad=requires_grad)


def new_ones(self, *args, size=None, dtype=None, device=None, requires_grad=False,
             layout=None, pin_memory=False):
    dtype, device = _like(self, dtype, device)
    return ones(*args, size=size, dtype=dtype, device=device, requires_grad=requires_grad)


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False,
             layout=None, pin_memory=False):
    dtype, device = _like(self, dtype, device)
    return full(size, fill_value, dtype=dtype, device=device, requires_grad=requires_grad)


def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    dtype, device = _like(self, dtype, device)
    return tensor(data, dtype=dtype, device=device, requires_grad=requires_grad)


# ----------------------------------------------------------------------------- ranges

def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False,
           out=None, layout=None) -> Tensor:
    """Values from start (inclusive) to end (exclusive) by step; int64 unless a float is given."""
    if end is None:
        start, end = 0, start
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = values
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0 and end != start:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        is_float = any(isinstance(v, float) for v in values)
        dtype = dtypes.get_default_dtype() if is_float else dtypes.int64
    dtype = dtypes.as_dtype(dtype, function="arange")
    count = max(0, math.ceil((end - start) / step))
    dev = device_of(device)
    xp = backend.xp_for(dev)
    with backend.device_context(dev):
        # computed in float64/int64 like torch, then cast, so float32 ranges end where torch's do
        wide = dtypes.float64 if dtype.is_floating_point else dtypes.int64
        array = (xp.arange(count, dtype=wide.numpy) * step + start).astype(dtype.numpy)
    return _finish(array, requires_grad)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False,
             out=None, layout=None) -> Tensor:
    steps = steps.__index__() if hasattr(steps, "__index__") else steps  # NumPy ints too
    if not isinstance(steps, int) or steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    dev = device_of(device)
    xp = backend.xp_for(dev)
    with backend.device_context(dev):
        # torch's kernel, in the output dtype: the first half counts up from start, the second
        # half down from end, so both ends are exact
        kind = dtype.numpy if dtype.is_floating_point else dtypes.float64.numpy
        if not dtype.is_floating_point:  # torch casts the ends to the integer dtype first
            start, end = int(start), int(end)
        first, last = xp.asarray(start, dtype=kind), xp.asarray(end, dtype=kind)
        step = (last - first) / kind.type(max(steps - 1, 1))
        index = xp.arange(steps, dtype=kind)
        array = xp.where((index < steps // 2) | (steps == 1), first + step * index,
                         last - step * (kind.type(steps - 1) - index)).astype(dtype.numpy)
    return _finish(array, requires_grad)


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None,
             requires_grad=False, out=None, layout=None) -> Tensor:
    dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    if not dtype.is_floating_point:  # torch casts the ends to the integer dtype first
        start, end = int(start), int(end)
    exponents = linspace(start, end, steps, dtype=dtypes.float64, device=device)._data
    return _finish((base ** exponents).astype(dtype.numpy), requires_grad)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False, out=None,
        layout=None) -> Tensor:
    dev = device_of(device)
    with backend.device_context(dev):
        array = backend.xp_for(dev).eye(n, n if m is None else m,
                                        dtype=numpy_dtype(dtype, dtypes.get_default_dtype()))
    return _finish(array, requires_grad)
