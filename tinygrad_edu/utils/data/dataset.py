"""Datasets: what a DataLoader reads from (torch.utils.data.dataset).

A map-style dataset answers `len(ds)` and `ds[i]`; an iterable-style one is a stream (`iter(ds)`).

    TensorDataset(x, y)      sample i is (x[i], y[i]); `ds[a:b]` gives the batch (x[a:b], y[a:b])
    Subset(ds, indices)      the samples of ds at `indices`
    ConcatDataset([a, b])    a's samples, then b's (also `a + b`)
    random_split(ds, [0.8, 0.2])  disjoint random Subsets of the given sizes or fractions

A dataset may also define `__getitems__(indices)` to fetch a whole batch at once; the DataLoader
then calls it instead of `ds[i]` for each index. TensorDataset does, with one fancy index.
"""
from __future__ import annotations

import bisect
import itertools
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, TypeVar

from ... import backend, dtypes
from ...functions.sampling import randperm
from ...random import Generator, default_generator
from ...tensor import Tensor
from ._collate import StackedSamples

T_co = TypeVar("T_co", covariant=True)


class Dataset(Generic[T_co]):
    """Base class of map-style datasets: subclasses define `__getitem__` and `__len__`."""

    def __getitem__(self, index) -> T_co:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other: Dataset[T_co]) -> ConcatDataset[T_co]:
        return ConcatDataset([self, other])


class IterableDataset(Dataset[T_co]):
    """Base class of stream datasets: subclasses define `__iter__`."""

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError("Subclasses of IterableDataset should implement __iter__.")

    def __add__(self, other: Dataset[T_co]) -> ChainDataset:
        return ChainDataset([self, other])


# ----------------------------------------------------------------------------- tensors

class TensorDataset(Dataset[tuple[Tensor, ...]]):
    """Sample i is `tuple(t[i] for t in tensors)`; all tensors share their first dimension.

    Any index a tensor accepts works: an int (one sample), or a slice, list or index tensor (a
    tuple of batched tensors, as in the tutorial's `train_ds[i * bs : i * bs + bs]`).
    """

    def __init__(self, *tensors: Tensor) -> None:
        if any(tensors[0].size(0) != tensor.size(0) for tensor in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(tensor[index] for tensor in self.tensors)

    def __getitems__(self, indices) -> StackedSamples | list:
        """A whole batch with one fancy index per tensor (instead of stacking B samples)."""
        if type(self).__getitem__ is not TensorDataset.__getitem__:
            return [self[i] for i in _as_list(indices)]  # a subclass redefined what a sample is
        rows = _index_array(indices)
        return StackedSamples(tuple([_take_rows(tensor, rows) for tensor in self.tensors]))

    def __len__(self) -> int:
        return self.tensors[0].size(0)


def _index_array(indices):
    """A list (or array) of sample indices as an int64 NumPy array, checked like a tensor index."""
    if backend.on_host(indices) and indices.dtype == dtypes.int64.numpy:
        return indices
    rows = backend.asarray(indices)
    if rows.size == 0:
        return rows.astype(dtypes.int64.numpy)
    if rows.dtype.kind not in "iu" or rows.ndim != 1:
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    return rows


def _take_rows(tensor: Tensor, rows) -> Tensor:
    data = tensor._data
    if tensor._requires_grad or not backend.on_host(data):
        return tensor[Tensor._make(rows)]  # through the indexing op: autograd, device transfer
    try:
        # The hot path. take(axis=0) is x[rows] without fancy indexing's general machinery:
        # the same rows, about a third faster for a batch of 64 rows of 784 floats.
        return Tensor._make(data.take(rows, axis=0))
    except IndexError as error:
        raise IndexError(str(error).replace("axis", "dimension")) from None


# ----------------------------------------------------------------------------- combinations

class ConcatDataset(Dataset[T_co]):
    """The samples of several datasets, one after the other."""

    @staticmethod
    def cumsum(sequence) -> list[int]:
        return list(itertools.accumulate(len(dataset) for dataset in sequence))

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if len(self.datasets) == 0:
            raise AssertionError("datasets should not be an empty iterable")
        for dataset in self.datasets:
            if isinstance(dataset, IterableDataset):
                raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = len(self) + idx
        which = bisect.bisect_right(self.cumulative_sizes, idx)
        offset = 0 if which == 0 else self.cumulative_sizes[which - 1]
        return self.datasets[which][idx - offset]


class ChainDataset(IterableDataset):
    """Several iterable datasets, one stream after the other."""

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = datasets

    def __iter__(self):
        for dataset in self.datasets:
            if not isinstance(dataset, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            yield from dataset

    def __len__(self) -> int:
        total = 0
        for dataset in self.datasets:
            if not isinstance(dataset, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            total += len(dataset)
        return total


class Subset(Dataset[T_co]):
    """The samples of `dataset` at positions `indices`."""

    def __init__(self, dataset: Dataset[T_co], indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices
        if type(self).__getitem__ is not Subset.__getitem__ and \
                type(self).__getitems__ is Subset.__getitems__:
            name = type(self).__name__
            raise NotImplementedError(
                f"{name} overrides __getitem__ but not __getitems__. When subclassing Subset and "
                "overriding __getitem__, you must also override __getitems__ to ensure "
                "DataLoader works correctly with your custom logic. A simple implementation:"
                "\n\ndef __getitems__(self, indices):\n"
                "    return [self.__getitem__(idx) for idx in indices]")

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices) -> list:
        positions = [self.indices[i] for i in _as_list(indices)]
        fetch_many = getattr(self.dataset, "__getitems__", None)
        if callable(fetch_many):
            return fetch_many(positions)
        return [self.dataset[position] for position in positions]

    def __len__(self) -> int:
        return len(self.indices)


def _as_list(indices) -> list:
    return indices.tolist() if backend.on_host(indices) else indices


def random_split(dataset: Dataset[T_co], lengths: Sequence[int | float],
                 generator: Generator | None = default_generator) -> list[Subset[T_co]]:
    """Split `dataset` into non-overlapping random Subsets of the given lengths.

    Fractions that sum to 1 become floor(fraction * len(dataset)) each, and the remainder is
    handed out one by one, round robin, from the first split on.
    """
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        sizes = []
        for position, fraction in enumerate(lengths):
            if fraction < 0 or fraction > 1:
                raise ValueError(f"Fraction at index {position} is not between 0 and 1")
            sizes.append(math.floor(len(dataset) * fraction))
        for extra in range(len(dataset) - sum(sizes)):
            sizes[extra % len(sizes)] += 1
        lengths = sizes
        for position, size in enumerate(lengths):
            if size == 0:
                warnings.warn(f"Length of split at index {position} is 0. This might result in "
                              "an empty dataset.", stacklevel=2)
    if sum(lengths) != len(dataset):
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    order = randperm(sum(lengths), generator=generator).tolist()
    ends = itertools.accumulate(lengths)
    return [Subset(dataset, order[end - length:end]) for end, length in zip(ends, lengths)]
