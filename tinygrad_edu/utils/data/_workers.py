"""Loading ahead in worker threads (DataLoader with `num_workers > 0`).

torch runs workers as processes, each with its own index queue, and hands batches out round
robin: batch k goes to worker k % num_workers, and batches come back in order. We keep that
shape with threads: the main thread draws the indices, each worker fetches and collates the
batches sent to its queue, and up to `prefetch_factor * num_workers` batches are in flight.

For an IterableDataset every worker reads its own shallow copy of the dataset (as each torch
process holds its own copy): without sharding through `get_worker_info()` each worker streams
the whole dataset, exactly as in torch.
"""
from __future__ import annotations

import copy
import queue
import threading
from collections import deque
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from ...functions.sampling import randint
from ...random import default_generator

_local = threading.local()
_EXHAUSTED = object()  # a worker's answer when its stream has no batch left


class WorkerInfo:
    """What `get_worker_info()` tells code running in a worker: id, num_workers, seed, dataset."""

    def __init__(self, id: int, num_workers: int, seed: int, dataset) -> None:
        self.id = id
        self.num_workers = num_workers
        self.seed = seed
        self.dataset = dataset

    def __repr__(self) -> str:
        return (f"WorkerInfo(id={self.id}, num_workers={self.num_workers}, seed={self.seed}, "
                f"dataset={self.dataset!r})")


def get_worker_info() -> WorkerInfo | None:
    """The WorkerInfo of the calling worker thread; None in the main thread."""
    return getattr(_local, "info", None)


def draw_base_seed(generator) -> int:
    """One random int64 per epoch (worker i's seed is base_seed + i), drawn as torch draws it."""
    return int(randint(0, 2**63 - 1, (), generator=generator or default_generator).item())


class WorkerThreads:
    """`num_workers` daemon threads, each reading jobs from its own queue."""

    def __init__(self, loader, base_seed: int) -> None:
        self.loader = loader
        self.queues = [queue.SimpleQueue() for _ in range(loader.num_workers)]
        self.threads = []
        for worker_id, jobs in enumerate(self.queues):
            thread = threading.Thread(target=self._work, args=(worker_id, jobs, base_seed),
                                      name=f"DataLoader worker {worker_id}", daemon=True)
            thread.start()
            self.threads.append(thread)

    def submit(self, worker_id: int, epoch: int, job) -> Future:
        future = Future()
        self.queues[worker_id].put((future, epoch, job))
        return future

    def close(self) -> None:
        for jobs in self.queues:
            jobs.put(None)

    def _work(self, worker_id: int, jobs: queue.SimpleQueue, base_seed: int) -> None:
        loader = self.loader
        dataset = copy.copy(loader.dataset) if loader._iterable else loader.dataset
        _local.info = WorkerInfo(worker_id, loader.num_workers, base_seed + worker_id, dataset)
        failure = None
        if loader.worker_init_fn is not None:
            try:
                loader.worker_init_fn(worker_id)
            except BaseException as error:  # reported with the first batch this worker owes
                failure = error
        fetch, fetch_epoch = None, None
        while (task := jobs.get()) is not None:
            future, epoch, job = task
            if failure is not None:
                future.set_exception(failure)
                continue
            if epoch != fetch_epoch:  # a new epoch: a stream starts again from its beginning
                fetch, fetch_epoch = loader._fetcher(dataset), epoch
            try:
                future.set_result(fetch(job))
            except StopIteration:
                future.set_result(_EXHAUSTED)
            except BaseException as error:
                if hasattr(error, "add_note"):
                    error.add_note(f"(raised in DataLoader worker thread {worker_id})")
                future.set_exception(error)


class ThreadedLoaderIter:
    """One pass over a DataLoader whose batches are fetched by WorkerThreads, returned in order."""

    _epochs = 0
    _owns_workers = False  # until __init__ says otherwise (so __del__ is safe after a failure)

    def __init__(self, loader, workers: WorkerThreads, owns_workers: bool) -> None:
        self._loader = loader
        self._workers = workers
        self._owns_workers = owns_workers
        self._jobs = loader._jobs()
        self._active = list(range(loader.num_workers))
        self._turn = 0
        self._pending: deque = deque()
        self._limit = max(1, loader.num_workers * loader.prefetch_factor)
        self._timeout = loader.timeout if loader.timeout > 0 else None
        ThreadedLoaderIter._epochs += 1
        self._epoch = ThreadedLoaderIter._epochs
        self._fill()

    def __iter__(self):
        return self

    def __len__(self) -> int:
        return len(self._loader)

    def _fill(self) -> None:
        while len(self._pending) < self._limit and self._active:
            try:
                job = next(self._jobs)
            except StopIteration:
                return
            worker = self._active[self._turn % len(self._active)]
            self._turn += 1
            self._pending.append((worker, self._workers.submit(worker, self._epoch, job)))

    def __next__(self):
        while self._pending:
            worker, future = self._pending.popleft()
            try:
                batch = future.result(timeout=self._timeout)
            except FutureTimeout:
                self._shutdown()
                raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds") from None
            if batch is _EXHAUSTED:
                if worker in self._active:
                    self._active.remove(worker)
                self._fill()
                continue
            self._fill()
            return batch
        self._shutdown()
        raise StopIteration

    def _shutdown(self) -> None:
        if self._owns_workers:
            self._workers.close()
            self._owns_workers = False

    def __del__(self) -> None:
        self._shutdown()
