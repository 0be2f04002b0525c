"""Array helpers beside the backend: what NumPy and CuPy spell differently (scatter-add, strided
windows), and the few host-side (NumPy) names the wing needs. Like backend.py and random.py, and
no other module, it names NumPy itself; CuPy it reaches through the backend, once a GPU is used.
"""
from __future__ import annotations

import numpy

from .backend import cuda_module, device_of, get_array_module, is_array

# ------------------------------------------------------------------------- NumPy/CuPy differences

# The dtypes cupyx.scatter_add adds atomically; int64 goes through uint64 (two's complement
# addition is the same bits), the small integer types and bool through int32.
_ATOMIC_ADD = {numpy.dtype(t) for t in ("int32", "uint32", "uint64", "float16", "float32",
                                        "float64")}


def scatter_add(target, index, values) -> None:
    """target[index] += values, adding repeated indices up (np.add.at / cupyx.scatter_add)."""
    if type(target) is numpy.ndarray:
        numpy.add.at(target, index, values)
        return
    cupy, cupyx = cuda_module(), cuda_module(extras=True)
    dtype = target.dtype
    if dtype in _ATOMIC_ADD:
        cupyx.scatter_add(target, index, values)
    elif dtype == numpy.int64:
        values = cupy.asarray(values, dtype=numpy.int64).view(numpy.uint64)
        cupyx.scatter_add(target.view(numpy.uint64), index, values)
    else:
        wide = target.astype(numpy.int32)
        cupyx.scatter_add(wide, index, cupy.asarray(values).astype(numpy.int32))
        target[...] = wide.astype(dtype) if dtype != numpy.bool_ else wide != 0


def sliding_window_view(array, window_shape, axis):
    """A read-only strided view of every window (no copy) on NumPy and CuPy."""
    if type(array) is numpy.ndarray:
        return numpy.lib.stride_tricks.sliding_window_view(array, window_shape, axis=axis)
    return cuda_module().lib.stride_tricks.sliding_window_view(array, window_shape, axis=axis)


def as_strided(array, shape, strides):
    if type(array) is numpy.ndarray:
        return numpy.lib.stride_tricks.as_strided(array, shape, strides, writeable=False)
    return cuda_module().lib.stride_tricks.as_strided(array, shape, strides)


def shares_memory(a, b) -> bool:
    return get_array_module(a).shares_memory(a, b)


def set_printoptions_numpy(**kw):
    numpy.set_printoptions(**kw)


# ----------------------------------------------------------------------------- host (NumPy) data

NUMPY_ARRAY = numpy.ndarray  # the type of host arrays (isinstance checks, collate's type table)
NUMPY_NUMBER_TYPES = (numpy.bool_, numpy.number, numpy.object_)  # the scalars collate stacks


def promote_types(a, b):
    """NumPy's promotion of two dtypes (torch's, within one category)."""
    return numpy.promote_types(a, b)


def iinfo(dtype):
    """The limits (`.min`, `.max`, `.bits`) of an integer dtype, as numpy.iinfo gives them."""
    return numpy.iinfo(dtype)


def frombuffer(buffer, dtype, offset: int = 0):
    """A read-only NumPy array over the bytes of `buffer` from `offset` on, without a copy."""
    return numpy.frombuffer(buffer, dtype=dtype, offset=offset)


def ascontiguousarray(data):
    """`data` as a row-major (C-ordered) NumPy array, copied only when it is not one already."""
    return numpy.ascontiguousarray(data)


# ----------------------------------------------------------------------------- devices

def check_same_device(*groups) -> None:
    """Raise torch's error if the arrays in `groups` (iterables; lists and tuples inside them
    are searched too) live on more than one device. Called after an op failed, to say why."""
    found = []
    stack = [value for group in groups for value in group]
    while stack:
        value = stack.pop()
        if isinstance(value, (list, tuple)):
            stack.extend(value)
        elif is_array(value) and device_of(value) not in found:
            found.append(device_of(value))
    if len(found) > 1:
        first = next((d for d in found if d.type == "cuda"), found[0])
        second = next(d for d in found if d != first)
        raise RuntimeError("Expected all tensors to be on the same device, but found at least "
                           f"two devices, {first} and {second}!")
