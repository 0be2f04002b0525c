"""Samplers: the order in which a DataLoader visits a dataset (torch.utils.data.sampler).

A sampler is an iterable of dataset indices; a batch sampler is an iterable of lists of indices.

    SequentialSampler     0, 1, ..., n-1
    RandomSampler         a fresh permutation each epoch (or draws with replacement)
    SubsetRandomSampler   a permutation of the given indices
    WeightedRandomSampler draws i with probability weights[i] / sum(weights)
    BatchSampler          groups another sampler's indices into lists of batch_size

Our built-in samplers also draw a whole epoch at once as one NumPy array (`_epoch_indices`);
`BatchSampler._index_batches` then slices that array, so a DataLoader over a TensorDataset never
builds a Python list per batch. Iterating a sampler yields the very same indices.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence, Sized
from itertools import islice
from typing import Generic, TypeVar

from ... import backend, dtypes
from ...functions.creation import arange, as_tensor
from ...functions.sampling import multinomial, randint, randperm
from ...functions.shape import cat
from ...random import Generator

T_co = TypeVar("T_co", covariant=True)


class Sampler(Generic[T_co]):
    """Base class: subclasses define `__iter__` (and usually `__len__`)."""

    def __init__(self, data_source: Sized | None = None) -> None:
        pass

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError


def _epoch_generator(generator: Generator | None) -> Generator:
    """`generator`, or — as torch does — a new one seeded from the default generator, so that
    each epoch gets a new order while `manual_seed` still makes the whole run repeatable."""
    if generator is not None:
        return generator
    seed = int(randint(0, 2**63 - 1, ()).item())
    return Generator().manual_seed(seed)


class SequentialSampler(Sampler[int]):
    """0, 1, ..., len(data_source) - 1, always in that order."""

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def _epoch_indices(self):
        return arange(len(self.data_source))._data

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """A random permutation each epoch; with `replacement=True`, `num_samples` independent draws.

    Without replacement and `num_samples > len(data_source)`, whole permutations follow each other
    and the last one is cut short.
    """

    def __init__(self, data_source: Sized, replacement: bool = False,
                 num_samples: int | None = None, generator: Generator | None = None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got "
                            f"replacement={replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got "
                             f"num_samples={self.num_samples}")

    @property
    def num_samples(self) -> int:
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def _epoch_indices(self):
        n, count = len(self.data_source), self.num_samples
        generator = _epoch_generator(self.generator)
        if self.replacement:
            return randint(0, n, (count,), generator=generator)._data
        rounds = [randperm(n, generator=generator) for _ in range(count // n)]
        rounds.append(randperm(n, generator=generator)[:count % n])
        return cat(rounds)._data

    def __iter__(self) -> Iterator[int]:
        return iter(self._epoch_indices().tolist())

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given indices, in a new random order each epoch."""

    def __init__(self, indices: Sequence[int], generator: Generator | None = None) -> None:
        self.indices = indices
        self.generator = generator

    def _epoch_indices(self):
        indices = backend.asarray(self.indices)
        if indices.ndim != 1 or indices.dtype.kind not in "iu":
            return None  # not integer positions (any keys are allowed): iterate instead
        return indices[randperm(len(indices), generator=self.generator)._data]

    def __iter__(self) -> Iterator[int]:
        for position in randperm(len(self.indices), generator=self.generator).tolist():
            yield self.indices[position]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """`num_samples` indices drawn with probabilities proportional to `weights`."""

    def __init__(self, weights: Sequence[float], num_samples: int, replacement: bool = True,
                 generator: Generator | None = None) -> None:
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got "
                             f"num_samples={num_samples}")
        if not isinstance(replacement, bool):
            raise ValueError(f"replacement should be a boolean value, but got "
                             f"replacement={replacement}")
        weights = as_tensor(weights, dtype=dtypes.float64)
        if weights.ndim != 1:
            raise ValueError(f"weights should be a 1d sequence but given weights have shape "
                             f"{tuple(weights.shape)}")
        self.weights = weights
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def _epoch_indices(self):
        return multinomial(self.weights, self.num_samples, self.replacement,
                           generator=self.generator)._data

    def __iter__(self) -> Iterator[int]:
        return iter(self._epoch_indices().tolist())

    def __len__(self) -> int:
        return self.num_samples


# ----------------------------------------------------------------------------- batches

class BatchSampler(Sampler[list[int]]):
    """Groups the indices of `sampler` into lists of `batch_size`; the last list may be short
    unless `drop_last`.

    >>> list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False))
    [[0, 1, 2], [3, 4, 5], [6]]
    """

    def __init__(self, sampler: Sampler[int] | Iterable[int], batch_size: int,
                 drop_last: bool) -> None:
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        indices = iter(self.sampler)
        batch = list(islice(indices, self.batch_size))
        while batch and (len(batch) == self.batch_size or not self.drop_last):
            yield batch
            batch = list(islice(indices, self.batch_size))

    def _index_batches(self) -> Iterator:
        """The same batches as `iter(self)`, as slices of one index array when the sampler is one
        of ours (a subclass may have changed its order, so it is iterated as usual)."""
        epoch = None
        if type(self.sampler) in _BULK_SAMPLERS:
            epoch = self.sampler._epoch_indices()
        if epoch is None:
            yield from self
            return
        size = self.batch_size
        stop = len(epoch) - len(epoch) % size if self.drop_last else len(epoch)
        for start in range(0, stop, size):
            yield epoch[start:start + size]

    def __len__(self) -> int:
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size


_BULK_SAMPLERS = (SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler)
