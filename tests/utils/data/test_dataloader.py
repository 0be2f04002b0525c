"""DataLoader: batch-for-batch parity with torch's, argument errors in torch's words, workers."""
from __future__ import annotations

import threading

import numpy as np
import pytest
import torch
import torch.utils.data as tdata
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
import tinygrad_edu.utils.data as data


def both(make):
    """make(lib, data_module) for tinygrad_edu and torch."""
    return make(tinygrad_edu, data), make(torch, tdata)


def tensor_datasets(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 3, 2)).astype(np.float32)
    y = rng.integers(0, 10, n)
    w = rng.standard_normal(n)
    return both(lambda lib, mod: mod.TensorDataset(lib.from_numpy(x.copy()),
                                                   lib.from_numpy(y.copy()),
                                                   lib.from_numpy(w.copy())))


def assert_same_epochs(assert_same, ours, theirs) -> None:
    ours_batches, their_batches = list(ours), list(theirs)
    assert len(ours_batches) == len(their_batches) == len(ours) == len(theirs)
    for position, (a, b) in enumerate(zip(ours_batches, their_batches)):
        assert_same(a, b, f"batch {position}")


# ----------------------------------------------------------------------------- parity

@given(n=st.integers(1, 40), batch_size=st.integers(1, 12), drop_last=st.booleans())
def test_sequential_batches_equal_torch(assert_same, n, batch_size, drop_last):
    ours, theirs = tensor_datasets(n)
    assert_same_epochs(assert_same,
                       data.DataLoader(ours, batch_size=batch_size, drop_last=drop_last),
                       tdata.DataLoader(theirs, batch_size=batch_size, drop_last=drop_last))


@given(n=st.integers(0, 300), batch_size=st.integers(1, 64), drop_last=st.booleans())
def test_len_equals_torch(n, batch_size, drop_last):
    sizes = range(n)
    ours = data.DataLoader(sizes, batch_size=batch_size, drop_last=drop_last)
    theirs = tdata.DataLoader(sizes, batch_size=batch_size, drop_last=drop_last)
    assert len(ours) == len(theirs)
    assert len(ours) == len(list(ours))


@given(order=st.permutations(list(range(23))), batch_size=st.integers(1, 9),
       drop_last=st.booleans())
def test_explicit_sampler_order_equals_torch(assert_same, order, batch_size, drop_last):
    ours, theirs = tensor_datasets(23)
    assert_same_epochs(
        assert_same,
        data.DataLoader(ours, batch_size=batch_size, sampler=order, drop_last=drop_last),
        tdata.DataLoader(theirs, batch_size=batch_size, sampler=order, drop_last=drop_last))


@pytest.mark.parametrize("batch_size", [None, 1, 4])
def test_python_samples_collate_like_torch(assert_same, batch_size):
    class Samples:
        def __len__(self):
            return 10

        def __getitem__(self, i):
            return {"x": np.full((2,), i, dtype=np.float32), "label": i, "weight": i / 4,
                    "name": f"s{i}", "pair": (i, [float(i), np.int32(i)])}

    assert_same_epochs(assert_same, data.DataLoader(Samples(), batch_size=batch_size),
                       tdata.DataLoader(Samples(), batch_size=batch_size))


def test_batch_sampler_and_collate_fn_equal_torch(assert_same):
    ours, theirs = tensor_datasets(12)
    batches = [[3, 1], [0, 5, 7], [11]]
    assert_same_epochs(assert_same, data.DataLoader(ours, batch_sampler=batches),
                       tdata.DataLoader(theirs, batch_sampler=batches))
    first = data.DataLoader(ours, batch_size=5, collate_fn=lambda samples: samples)
    their_first = tdata.DataLoader(theirs, batch_size=5, collate_fn=lambda samples: samples)
    for a, b in zip(first, their_first):
        assert len(a) == len(b)
        assert_same(list(a), list(b))  # the samples a custom collate_fn sees are torch's


def test_subset_and_concat_through_loader_equal_torch(assert_same):
    (ours, theirs), (ours2, theirs2) = tensor_datasets(9, seed=1), tensor_datasets(5, seed=2)
    keep = [8, 0, 4, 2, 6]
    assert_same_epochs(assert_same, data.DataLoader(data.Subset(ours, keep), batch_size=2),
                       tdata.DataLoader(tdata.Subset(theirs, keep), batch_size=2))
    assert_same_epochs(assert_same, data.DataLoader(ours + ours2, batch_size=4),
                       tdata.DataLoader(theirs + theirs2, batch_size=4))


def test_iterable_dataset_equals_torch(assert_same):
    def make(mod):
        class Stream(mod.IterableDataset):
            def __iter__(self):
                return iter([(i, float(i)) for i in range(11)])

            def __len__(self):
                return 11
        return Stream()

    for batch_size, drop_last in [(None, False), (1, False), (4, False), (4, True)]:
        assert_same_epochs(
            assert_same, data.DataLoader(make(data), batch_size=batch_size, drop_last=drop_last),
            tdata.DataLoader(make(tdata), batch_size=batch_size, drop_last=drop_last))


# ----------------------------------------------------------------------------- shuffling

def test_shuffle_visits_every_sample_once_in_a_new_order_each_epoch():
    x = tinygrad_edu.arange(100)
    loader = data.DataLoader(data.TensorDataset(x), batch_size=7, shuffle=True)
    epochs = [np.concatenate([batch.numpy() for (batch,) in loader]) for _ in range(2)]
    for seen in epochs:
        assert sorted(seen.tolist()) == list(range(100))
    assert not np.array_equal(epochs[0], epochs[1])
    assert not np.array_equal(epochs[0], np.arange(100))


def test_generator_makes_shuffling_repeatable():
    x = tinygrad_edu.arange(50)

    def epoch(seed):
        loader = data.DataLoader(data.TensorDataset(x), batch_size=8, shuffle=True,
                                 generator=tinygrad_edu.Generator().manual_seed(seed))
        return np.concatenate([batch.numpy() for (batch,) in loader])

    assert np.array_equal(epoch(3), epoch(3))
    assert not np.array_equal(epoch(3), epoch(4))
    tinygrad_edu.manual_seed(7)
    first = np.concatenate([b.numpy() for (b,) in data.DataLoader(data.TensorDataset(x), 8,
                                                                  shuffle=True)])
    tinygrad_edu.manual_seed(7)
    again = np.concatenate([b.numpy() for (b,) in data.DataLoader(data.TensorDataset(x), 8,
                                                                  shuffle=True)])
    assert np.array_equal(first, again)


def test_batched_fetch_is_one_call_per_batch(monkeypatch):
    calls = []

    class Counting(data.TensorDataset):
        def __getitems__(self, indices):
            calls.append(len(indices))
            return super().__getitems__(indices)

    def no_single_fetch(self, index):
        raise AssertionError("the loader should not fetch sample by sample")

    monkeypatch.setattr(data.TensorDataset, "__getitem__", no_single_fetch)
    loader = data.DataLoader(Counting(tinygrad_edu.arange(10)), batch_size=4, shuffle=True)
    assert sum(len(batch) for (batch,) in loader) == 10
    assert calls == [4, 4, 2]


def test_subclass_redefining_a_sample_is_respected(assert_same):
    def make(lib, mod):
        class Doubled(mod.TensorDataset):
            def __getitem__(self, index):
                x, y = super().__getitem__(index)
                return x * 2, y
        return mod.DataLoader(Doubled(lib.arange(6.0), lib.arange(6)), batch_size=4)

    assert_same_epochs(assert_same, make(tinygrad_edu, data), make(torch, tdata))


def test_dataset_tensors_that_require_grad_keep_their_graph():
    weights = tinygrad_edu.ones(6, 2, requires_grad=True)
    (batch,) = next(iter(data.DataLoader(data.TensorDataset(weights), batch_size=4)))
    batch.sum().backward()
    assert weights.grad.numpy()[:4].tolist() == [[1.0, 1.0]] * 4
    assert weights.grad.numpy()[4:].sum() == 0


def test_tensor_dataset_batches_stay_on_their_device(device):
    x = tinygrad_edu.arange(20, dtype=tinygrad_edu.float32, device=device).reshape(10, 2)
    y = tinygrad_edu.arange(10, device=device)
    loader = data.DataLoader(data.TensorDataset(x, y), batch_size=4, shuffle=True)
    seen = []
    for xb, yb in loader:
        assert str(xb.device).startswith(device) and str(yb.device).startswith(device)
        assert np.array_equal(xb.cpu().numpy(), 2 * yb.cpu().numpy()[:, None] + [0, 1])
        seen += yb.cpu().tolist()
    assert sorted(seen) == list(range(10))


# ----------------------------------------------------------------------------- attributes, errors

def test_attributes_and_reiteration():
    ours, _ = tensor_datasets(10)
    loader = data.DataLoader(ours, batch_size=3, shuffle=True)
    assert loader.batch_size == 3 and loader.dataset is ours and not loader.drop_last
    assert isinstance(loader.sampler, data.RandomSampler)
    assert isinstance(loader.batch_sampler, data.BatchSampler)
    assert [len(b[0]) for b in loader] == [len(b[0]) for b in loader] == [3, 3, 3, 1]
    assert len(iter(loader)) == 4
    with pytest.raises(ValueError, match="batch_size attribute should not be set after "
                                         "DataLoader is initialized"):
        loader.batch_size = 5


def message(error_type, make) -> str:
    with pytest.raises(error_type) as info:
        make()
    return str(info.value)


@pytest.mark.parametrize("kwargs", [
    {"shuffle": True, "sampler": [0, 1]},
    {"batch_sampler": [[0]], "batch_size": 2},
    {"batch_sampler": [[0]], "drop_last": True},
    {"batch_size": None, "drop_last": True},
    {"num_workers": -1},
    {"timeout": -1},
    {"prefetch_factor": 2},
    {"num_workers": 1, "prefetch_factor": -1},
    {"persistent_workers": True},
    {"multiprocessing_context": "spawn"},
    {"num_workers": 1, "multiprocessing_context": "thread"},
    {"batch_size": 0},
    {"batch_size": 2, "drop_last": 1},
])
def test_argument_errors_are_torchs(kwargs):
    ours, theirs = tensor_datasets(4)
    theirs_message = message(ValueError, lambda: tdata.DataLoader(theirs, **kwargs))
    assert message(ValueError, lambda: data.DataLoader(ours, **kwargs)) == theirs_message


def test_empty_dataset_errors_are_torchs():
    empty_ours, empty_theirs = tensor_datasets(0)
    expected = "num_samples should be a positive integer value, but got num_samples=0"
    assert message(ValueError, lambda: data.DataLoader(empty_ours, shuffle=True)) == expected
    assert message(ValueError, lambda: tdata.DataLoader(empty_theirs, shuffle=True)) == expected
    assert list(data.DataLoader(empty_ours, batch_size=2)) == []


def test_iterable_dataset_refuses_sampler_and_shuffle():
    class Stream(data.IterableDataset):
        def __iter__(self):
            return iter(range(3))

    assert "expected unspecified shuffle option, but got shuffle=True" in message(
        ValueError, lambda: data.DataLoader(Stream(), shuffle=True))
    assert "expected unspecified sampler option" in message(
        ValueError, lambda: data.DataLoader(Stream(), sampler=[0]))


def test_pin_memory_is_accepted_and_warns_without_a_gpu():
    ours, _ = tensor_datasets(4)
    loader = data.DataLoader(ours, batch_size=2, pin_memory=True)
    if tinygrad_edu.backend.cuda_available():
        assert len(list(loader)) == 2
    else:
        with pytest.warns(UserWarning, match="no accelerator is found"):
            assert len(list(loader)) == 2


# ----------------------------------------------------------------------------- worker threads

@pytest.mark.parametrize("persistent", [False, True])
def test_workers_give_the_same_batches_in_order(assert_same, persistent):
    ours, theirs = tensor_datasets(37)
    loader = data.DataLoader(ours, batch_size=4, num_workers=3, prefetch_factor=1,
                             persistent_workers=persistent)
    for _ in range(2):
        assert_same_epochs(assert_same, loader, tdata.DataLoader(theirs, batch_size=4))


def test_workers_run_init_fn_and_see_worker_info():
    seen = {}
    lock = threading.Lock()

    class Recording(data.Dataset):
        def __len__(self):
            return 12

        def __getitem__(self, index):
            info = data.get_worker_info()
            with lock:
                seen.setdefault(info.id, threading.get_ident())
            return index

    started = []
    loader = data.DataLoader(Recording(), batch_size=2, num_workers=2,
                             worker_init_fn=started.append)
    assert [batch.tolist() for batch in loader] == [[i, i + 1] for i in range(0, 12, 2)]
    assert sorted(started) == [0, 1]
    assert set(seen) == {0, 1} and len(set(seen.values())) == 2  # two distinct threads
    assert data.get_worker_info() is None


def test_worker_errors_reach_the_caller():
    class Broken(data.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, index):
            raise KeyError(f"bad sample {index}")

    with pytest.raises(KeyError, match="bad sample 0"):
        next(iter(data.DataLoader(Broken(), num_workers=2)))


def test_worker_timeout_raises_torchs_error():
    release = threading.Event()

    class Slow(data.Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, index):
            release.wait(5)
            return index

    loader = data.DataLoader(Slow(), num_workers=1, timeout=0.05)
    try:
        with pytest.raises(RuntimeError, match=r"DataLoader timed out after 0.05 seconds"):
            next(iter(loader))
    finally:
        release.set()


def test_iterable_dataset_with_workers_shards_through_worker_info():
    class Sharded(data.IterableDataset):
        def __iter__(self):
            info = data.get_worker_info()
            return iter(range(info.id, 10, info.num_workers))

    values = sorted(v for batch in data.DataLoader(Sharded(), batch_size=3, num_workers=2)
                    for v in batch.tolist())
    assert values == list(range(10))
