"""Collation: turning a list of samples into one batch (torch.utils.data.default_collate).

A sample is any nest of tensors, NumPy arrays, numbers, strings, tuples, lists and dicts. The
batch has the same nest, with each leaf stacked along a new first axis:

    tensors       -> stack(samples)                    [2, 3] x B -> [B, 2, 3]
    NumPy arrays  -> stack(as_tensor(a) for a in ...)  keeps the array's dtype
    NumPy scalars -> as_tensor(samples)                keeps the scalar's dtype
    floats        -> float64 tensor;  ints -> tensor(samples) (int64, or bool for bools)
    str / bytes   -> left as they are (a list, or the tuple `zip` made)
    dict          -> dict of collated values;  namedtuple -> namedtuple;  tuple -> *list*

The dispatch table `default_collate_fn_map` is torch's extension point: map a type to a function
`fn(batch, *, collate_fn_map)` to teach `collate` a new leaf type.
"""
from __future__ import annotations

import collections.abc
import copy
import re
from collections.abc import Callable

from ... import arrays, backend, dtypes
from ...functions.creation import as_tensor, tensor
from ...functions.shape import stack
from ...tensor import Tensor

_STRING_OR_OBJECT = re.compile(r"[SaUO]")  # NumPy dtype codes of strings and Python objects

default_collate_err_msg_format = ("default_collate: batch must contain tensors, numpy arrays, "
                                  "numbers, dicts or lists; found {}")


class StackedSamples(collections.abc.Sequence):
    """A batch a dataset fetched with one fancy index (what `TensorDataset.__getitems__` returns).

    It behaves as the list of samples that torch's `__getitems__` protocol promises — `batch[i]`
    is sample i, a tuple of tensors — so a custom collate_fn works unchanged. `default_collate`
    recognises it and hands back the stacked tensors, skipping the per-sample stack.
    """

    __slots__ = ("tensors",)

    def __init__(self, tensors: tuple):
        self.tensors = tensors

    def __len__(self) -> int:
        return len(self.tensors[0])

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return tuple(column[index] for column in self.tensors)

    def __iter__(self):
        return (self[i] for i in range(len(self)))


# ----------------------------------------------------------------------------- leaf collators

def collate_tensor_fn(batch, *, collate_fn_map=None) -> Tensor:
    return stack(batch, 0)


def collate_numpy_array_fn(batch, *, collate_fn_map=None):
    if _STRING_OR_OBJECT.search(batch[0].dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(batch[0].dtype))
    return collate([as_tensor(array) for array in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch, *, collate_fn_map=None) -> Tensor:
    # Through a NumPy array, so float64 scalars stay float64 (Python floats would not).
    return as_tensor(backend.asarray(batch, copy=True))


def collate_float_fn(batch, *, collate_fn_map=None) -> Tensor:
    return tensor(batch, dtype=dtypes.float64)


def collate_int_fn(batch, *, collate_fn_map=None) -> Tensor:
    return tensor(batch)


def collate_str_fn(batch, *, collate_fn_map=None):
    return batch


default_collate_fn_map: dict[type | tuple[type, ...], Callable] = {
    Tensor: collate_tensor_fn,
    arrays.NUMPY_ARRAY: collate_numpy_array_fn,
    arrays.NUMPY_NUMBER_TYPES: collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


# ----------------------------------------------------------------------------- containers

def collate(batch, *, collate_fn_map: dict | None = None):
    """Collate `batch` (a list of samples) by the type of its first sample, recursing into
    mappings and sequences; leaves are handled by `collate_fn_map`."""
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for collate_type in collate_fn_map:
            if isinstance(elem, collate_type):
                return collate_fn_map[collate_type](batch, collate_fn_map=collate_fn_map)

    if isinstance(elem, collections.abc.Mapping):
        values = {key: collate([sample[key] for sample in batch], collate_fn_map=collate_fn_map)
                  for key in elem}
        return _rebuild_mapping(elem, values)
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a namedtuple keeps its type
        return elem_type(*(collate(samples, collate_fn_map=collate_fn_map)
                           for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if any(len(sample) != size for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)]
        if isinstance(elem, tuple):
            return columns  # torch returns a list for tuples (backwards compatibility)
        return _rebuild_sequence(elem, columns)
    raise TypeError(default_collate_err_msg_format.format(elem_type))


def _rebuild_mapping(like, values: dict):
    """A mapping of `like`'s type holding `values` (a plain dict when the type refuses)."""
    try:
        if isinstance(like, collections.abc.MutableMapping):
            clone = copy.copy(like)
            clone.update(values)
            return clone
        return type(like)(values)
    except TypeError:
        return values


def _rebuild_sequence(like, columns: list):
    try:
        if isinstance(like, collections.abc.MutableSequence):
            clone = copy.copy(like)
            for position, column in enumerate(columns):
                clone[position] = column
            return clone
        return type(like)(columns)
    except TypeError:
        return columns


def default_collate(batch):
    """Stack a list of samples into a batch, keeping the samples' structure (see module doc).

    >>> default_collate([(0, 1.5), (1, 2.5)])
    [tensor([0, 1]), tensor([1.5000, 2.5000], dtype=torch.float64)]
    """
    if type(batch) is StackedSamples:  # fetched already stacked: nothing left to do
        return list(batch.tensors)
    return collate(batch, collate_fn_map=default_collate_fn_map)


# ----------------------------------------------------------------------------- convert

def default_convert(data):
    """Turn the NumPy arrays inside one sample into tensors (the collate_fn when batch_size=None).

    Arrays of strings or objects, numbers and strings are left as they are; tuples become lists.
    """
    if isinstance(data, Tensor):
        return data
    kind = type(data)
    if kind.__module__ == "numpy" and kind.__name__ not in ("str_", "bytes_"):
        if kind is arrays.NUMPY_ARRAY and _STRING_OR_OBJECT.search(data.dtype.str) is not None:
            return data
        return as_tensor(backend.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        return _rebuild_mapping(data, {key: default_convert(data[key]) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return kind(*(default_convert(item) for item in data))
    if isinstance(data, tuple):
        return [default_convert(item) for item in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _rebuild_sequence(data, [default_convert(item) for item in data])
    return data
