"""DataLoader: batches of a dataset, in sampler order (torch.utils.data.DataLoader).

One epoch is three steps repeated:

    indices = next(batch_sampler)          # e.g. [17, 3, 42, ...]   (which samples)
    samples = dataset.__getitems__(indices) or [dataset[i] for i in indices]   (fetch)
    batch   = collate_fn(samples)          # stack into tensors       (collate)

For a TensorDataset with the default samplers and collate_fn this costs one NumPy fancy index per
tensor per batch: the sampler draws the epoch's permutation as one array, each batch is a slice
of it, `TensorDataset.__getitems__` gathers the rows, and `default_collate` has nothing to stack.

`num_workers > 0` loads batches ahead of time in that many *threads* (not processes): they need
no pickling, and they run in parallel wherever the loading work releases the GIL (NumPy copies,
file reads). Python-heavy per-sample transforms hold the GIL and gain nothing from them. Each
worker runs `worker_init_fn(worker_id)` and sees `get_worker_info()`; the workers share the
dataset object and the global random generator, so `worker_info.seed` is informational only.
`pin_memory`, `prefetch_factor`, `persistent_workers`, `timeout` and `multiprocessing_context` are
checked as torch checks them; pinning is a no-op.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from itertools import islice, repeat
from typing import Generic, TypeVar

from ... import backend, random
from ._collate import default_collate, default_convert
from ._workers import ThreadedLoaderIter, WorkerThreads, draw_base_seed
from .dataset import Dataset, IterableDataset, TensorDataset, _as_list
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

T_co = TypeVar("T_co", covariant=True)
_START_METHODS = ("fork", "spawn", "forkserver")
_FROZEN = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")


class DataLoader(Generic[T_co]):
    """Iterate over `dataset` in batches of `batch_size`, optionally shuffled each epoch.

    >>> loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
    >>> for xb, yb in loader: ...
    """

    _initialized = False

    def __init__(self, dataset: Dataset[T_co], batch_size: int | None = 1,
                 shuffle: bool | None = None, sampler: Sampler | Iterable | None = None,
                 batch_sampler: Sampler | Iterable | None = None, num_workers: int = 0,
                 collate_fn: Callable | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0,
                 worker_init_fn: Callable[[int], None] | None = None,
                 multiprocessing_context=None, generator: random.Generator | None = None, *,
                 prefetch_factor: int | None = None, persistent_workers: bool = False,
                 pin_memory_device: str = "", in_order: bool = True) -> None:
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                             "disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing."
                             "let num_workers > 0 to enable multiprocessing, otherwise set "
                             "prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        _check_context(multiprocessing_context, num_workers)

        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order
        self._iterable = isinstance(dataset, IterableDataset)

        if self._iterable:
            if shuffle not in (False, None):
                raise ValueError("DataLoader with IterableDataset: expected unspecified shuffle "
                                 f"option, but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified sampler "
                                 f"option, but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 f"batch_sampler option, but got batch_sampler={batch_sampler}")
        shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")

        if sampler is None and not self._iterable:
            sampler = (RandomSampler(dataset, generator=generator) if shuffle
                       else SequentialSampler(dataset))
        if batch_size is not None and batch_sampler is None and not self._iterable:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._workers: WorkerThreads | None = None
        self._initialized = True

    def __setattr__(self, name: str, value) -> None:
        if self._initialized and name in _FROZEN:
            raise ValueError(f"{name} attribute should not be set after "
                             f"{type(self).__name__} is initialized")
        super().__setattr__(name, value)

    @property
    def _auto_collation(self) -> bool:
        return self.batch_size is not None if self._iterable else self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __len__(self) -> int:
        if self._iterable:
            length = len(self.dataset)
            if self.batch_size is not None:
                length = length // self.batch_size if self.drop_last else \
                    -(-length // self.batch_size)
            return length
        return len(self._index_sampler)

    def __iter__(self):
        if self.pin_memory:
            _warn_pin_memory(self.pin_memory_device)
        base_seed = draw_base_seed(self.generator)  # drawn every epoch, as torch does
        if self.num_workers == 0:
            return _LoaderIter(self)
        workers = self._workers
        if workers is None or not self.persistent_workers:
            workers = WorkerThreads(self, base_seed)
            if self.persistent_workers:
                self._workers = workers
        return ThreadedLoaderIter(self, workers, owns_workers=not self.persistent_workers)

    def _jobs(self):
        """What each fetch gets: index batches (or single indices), or None for a stream."""
        if self._iterable:
            return repeat(None)  # the stream itself decides when to stop
        if type(self.batch_sampler) is BatchSampler:
            return self.batch_sampler._index_batches()
        return iter(self._index_sampler)

    def _fetcher(self, dataset=None) -> Callable:
        """fetch(job) -> batch, for this loader's kind of dataset and batching."""
        dataset = self.dataset if dataset is None else dataset
        collate_fn = self.collate_fn
        if self._iterable:
            return _StreamFetcher(dataset, self._auto_collation, collate_fn, self.batch_size,
                                  self.drop_last)
        if not self._auto_collation:
            return lambda index: collate_fn(dataset[index])
        fetch_many = getattr(dataset, "__getitems__", None)
        if not fetch_many:
            return lambda indices: collate_fn([dataset[i] for i in _as_list(indices)])
        if type(dataset).__getitems__ is TensorDataset.__getitems__:
            return lambda indices: collate_fn(fetch_many(indices))  # arrays welcome
        return lambda indices: collate_fn(fetch_many(_as_list(indices)))


class _StreamFetcher:
    """Batches read from an IterableDataset's iterator (ended by the stream, not a sampler)."""

    def __init__(self, dataset, auto_collation: bool, collate_fn, batch_size, drop_last: bool):
        self.stream = iter(dataset)
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.ended = False

    def __call__(self, job=None):
        if self.ended:
            raise StopIteration
        if not self.auto_collation:
            return self.collate_fn(next(self.stream))
        samples = list(islice(self.stream, self.batch_size))
        if len(samples) < self.batch_size:
            self.ended = True
        if not samples or (self.drop_last and len(samples) < self.batch_size):
            raise StopIteration
        return self.collate_fn(samples)


class _LoaderIter:
    """One pass over a DataLoader in the calling thread (what `iter(loader)` returns)."""

    def __init__(self, loader: DataLoader):
        self._loader = loader
        self._jobs = loader._jobs()
        self._fetch = loader._fetcher()

    def __iter__(self):
        return self

    def __len__(self) -> int:
        return len(self._loader)

    def __next__(self):
        return self._fetch(next(self._jobs))


# ----------------------------------------------------------------------------- argument checks

def _check_context(context, num_workers: int) -> None:
    """torch's checks on multiprocessing_context (accepted, then unused: workers are threads)."""
    if context is None:
        return
    if num_workers == 0:
        raise ValueError("multiprocessing_context can only be used with multi-process loading "
                         f"(num_workers > 0), but got num_workers={num_workers}")
    if isinstance(context, str) and context not in _START_METHODS:
        raise ValueError(f"multiprocessing_context option should specify a valid start method in "
                         f"{list(_START_METHODS)!r}, but got multiprocessing_context={context!r}")


def _warn_pin_memory(pin_memory_device: str) -> None:
    if pin_memory_device:
        warnings.warn("pin_memory_device is deprecated, the current accelerator will be used as "
                      f"the device,ignore pin_memory_device='{pin_memory_device}'.", stacklevel=3)
    if not backend.cuda_available():
        warnings.warn("'pin_memory' argument is set as true but no accelerator is found, then "
                      "device pinned memory won't be used.", stacklevel=3)
