"""Samplers: torch's semantics and errors; the array fast path yields exactly what iter() does."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
import torch.utils.data as tdata
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
import tinygrad_edu.utils.data as data


def seeded(seed: int = 0):
    return tinygrad_edu.Generator().manual_seed(seed)


def test_sequential_sampler():
    assert list(data.SequentialSampler(range(5))) == list(tdata.SequentialSampler(range(5)))
    assert len(data.SequentialSampler(range(5))) == 5


@given(n=st.integers(1, 60), num_samples=st.one_of(st.none(), st.integers(1, 150)))
def test_random_sampler_without_replacement(n, num_samples):
    sampler = data.RandomSampler(range(n), num_samples=num_samples, generator=seeded())
    drawn = list(sampler)
    expected = n if num_samples is None else num_samples
    assert len(drawn) == len(sampler) == expected
    counts = Counter(drawn)
    assert set(counts) <= set(range(n))
    assert max(counts.values()) - min(counts.values()) <= 1 or len(counts) < n  # whole rounds
    for start in range(0, expected - expected % n, n):
        assert sorted(drawn[start:start + n]) == list(range(n))  # each round a permutation


def test_random_sampler_with_replacement_and_reshuffling():
    sampler = data.RandomSampler(range(5), replacement=True, num_samples=200, generator=seeded())
    drawn = list(sampler)
    assert len(drawn) == 200 and set(drawn) == set(range(5))
    unseeded = data.RandomSampler(range(30))
    assert list(unseeded) != list(unseeded)  # a new order each epoch
    tinygrad_edu.manual_seed(1)
    first = list(data.RandomSampler(range(30)))
    tinygrad_edu.manual_seed(1)
    assert list(data.RandomSampler(range(30))) == first


@pytest.mark.parametrize("make", [
    lambda mod: mod.RandomSampler(range(0)),
    lambda mod: mod.RandomSampler(range(3), num_samples=0),
    lambda mod: mod.RandomSampler(range(3), num_samples=2.5),
    lambda mod: mod.RandomSampler(range(3), replacement=1),
    lambda mod: mod.WeightedRandomSampler([1, 2], num_samples=0),
    lambda mod: mod.WeightedRandomSampler([1, 2], num_samples=True),
    lambda mod: mod.WeightedRandomSampler([1, 2], num_samples=2, replacement="yes"),
    lambda mod: mod.WeightedRandomSampler([[1, 2]], num_samples=2),
    lambda mod: mod.BatchSampler(range(3), batch_size=0, drop_last=False),
    lambda mod: mod.BatchSampler(range(3), batch_size=True, drop_last=False),
    lambda mod: mod.BatchSampler(range(3), batch_size=2, drop_last=None),
])
def test_sampler_errors_are_torchs(make):
    with pytest.raises((ValueError, TypeError)) as theirs:
        make(tdata)
    with pytest.raises(type(theirs.value)) as ours:
        make(data)
    assert str(ours.value) == str(theirs.value)


def test_subset_random_sampler():
    indices = [10, 20, 30, 40]
    drawn = list(data.SubsetRandomSampler(indices, generator=seeded()))
    assert sorted(drawn) == indices and len(data.SubsetRandomSampler(indices)) == 4
    keys = ["a", "b", "c"]  # any keys, as in torch
    assert sorted(data.SubsetRandomSampler(keys)) == keys


def test_weighted_random_sampler_follows_the_weights():
    sampler = data.WeightedRandomSampler([0.0, 1.0, 3.0], num_samples=4000, generator=seeded())
    counts = Counter(sampler)
    assert counts[0] == 0 and len(sampler) == 4000
    assert 2.6 < counts[2] / counts[1] < 3.4
    unique = list(data.WeightedRandomSampler([1, 1, 1, 5], 4, replacement=False,
                                             generator=seeded()))
    assert sorted(unique) == [0, 1, 2, 3]


@given(n=st.integers(0, 40), batch_size=st.integers(1, 10), drop_last=st.booleans())
def test_batch_sampler_equals_torch(n, batch_size, drop_last):
    ours = data.BatchSampler(data.SequentialSampler(range(n)), batch_size, drop_last)
    theirs = tdata.BatchSampler(tdata.SequentialSampler(range(n)), batch_size, drop_last)
    assert list(ours) == list(theirs)
    assert len(ours) == len(theirs)
    assert list(data.BatchSampler(list(range(n)), batch_size, drop_last)) == list(theirs)


@pytest.mark.parametrize("make", [
    lambda g: data.SequentialSampler(range(23)),
    lambda g: data.RandomSampler(range(23), generator=g),
    lambda g: data.RandomSampler(range(23), num_samples=50, generator=g),
    lambda g: data.RandomSampler(range(23), replacement=True, num_samples=31, generator=g),
    lambda g: data.SubsetRandomSampler([5, 1, 9, 4, 22], generator=g),
    lambda g: data.WeightedRandomSampler(np.arange(23) + 1.0, 40, generator=g),
])
@pytest.mark.parametrize("drop_last", [False, True])
def test_index_array_batches_equal_iterated_batches(make, drop_last):
    """The loader's array fast path must give the batches that iterating the sampler gives."""
    fast = data.BatchSampler(make(seeded(5)), 4, drop_last)._index_batches()
    slow = data.BatchSampler(make(seeded(5)), 4, drop_last)
    assert [batch.tolist() for batch in fast] == list(slow)


def test_subclassed_sampler_is_iterated_not_bypassed():
    class Reversed(data.SequentialSampler):
        def __iter__(self):
            return iter(reversed(range(len(self.data_source))))

    batches = data.BatchSampler(Reversed(range(5)), 2, False)._index_batches()
    assert [list(batch) for batch in batches] == [[4, 3], [2, 1], [0]]
