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


# ----------------------------------------------------------------------------- checkpoint storages
# A checkpoint stores each block of memory ("storage") once, and every tensor as (offset, shape,
# strides) in elements of it, so views of one base come back as views (serialization/).

def storage_of(array):
    """(the contiguous host array owning `array`'s memory, the element offset of `array` in it,
    its strides in elements), or None when `array` cannot be described so (negative or ragged
    strides, a root that is not one contiguous block, a root of another item size)."""
    root = array
    while isinstance(root.base, numpy.ndarray):
        root = root.base
    itemsize = array.dtype.itemsize
    start = array.__array_interface__["data"][0] - root.__array_interface__["data"][0]
    contiguous = root.flags.c_contiguous or root.flags.f_contiguous
    if (array.size == 0 or not contiguous or root.nbytes % itemsize or start % itemsize
            or any(s < 0 or s % itemsize for s in array.strides)):
        return None
    return root, start // itemsize, tuple(s // itemsize for s in array.strides)


def raw_bytes(root):
    """The memory of a contiguous host array as a flat byte view (no copy), little-endian."""
    if root.dtype.byteorder == ">":
        root = root.astype(root.dtype.newbyteorder("<"))
    return root.reshape(-1, order="A").view(numpy.uint8)


def storage_array(data, dtype_name: str, byteorder: str = "little"):
    """A writable 1-d array of `dtype_name` over `data` (a bytearray or a memory map), stored in
    `byteorder`; converted to the machine's order when that differs (a copy)."""
    stored = numpy.dtype(dtype_name).newbyteorder("<" if byteorder == "little" else ">")
    array = numpy.frombuffer(data, dtype=stored)
    return array if array.dtype.isnative else array.astype(stored.newbyteorder("="))


def memory_map(path, offset: int, nbytes: int):
    """The bytes [offset, offset + nbytes) of the file at `path`, mapped copy-on-write."""
    if nbytes == 0:
        return bytearray()
    return numpy.memmap(path, dtype=numpy.uint8, mode="c", offset=offset, shape=(nbytes,))


def strided(flat, offset: int, shape: tuple, strides: tuple):
    """The view of the 1-d array `flat` at element `offset` with `shape` and element `strides`
    (writable, sharing memory); the caller has checked that it stays inside `flat`."""
    itemsize = flat.dtype.itemsize
    byte_strides = tuple(s * itemsize for s in strides)
    start = flat[offset:] if offset < flat.shape[0] else flat[:0]
    if isinstance(flat, numpy.ndarray):
        return numpy.lib.stride_tricks.as_strided(start, shape, byte_strides)
    return cuda_module().lib.stride_tricks.as_strided(start, shape, byte_strides)


def bfloat16_to_float32(bits):
    """bfloat16 values (their raw uint16 bits) as float32: the same bits in the upper half."""
    return (bits.astype(numpy.uint32) << 16).view(numpy.float32)
