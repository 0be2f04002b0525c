"""Datasets: TensorDataset indexing, Subset, ConcatDataset, random_split — against torch."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.utils.data as tdata
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
import tinygrad_edu.utils.data as data


def pair(n: int = 10):
    x = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    y = np.arange(n) % 3
    ours = data.TensorDataset(tinygrad_edu.tensor(x), tinygrad_edu.tensor(y))
    theirs = tdata.TensorDataset(torch.tensor(x), torch.tensor(y))
    return ours, theirs


@pytest.mark.parametrize("index", [3, -1, slice(2, 5), slice(None, None, 3), [4, 0, 4],
                                   "tensor"])
def test_tensor_dataset_indexing_equals_torch(assert_same, index):
    ours, theirs = pair()
    if index == "tensor":
        ours_index, their_index = tinygrad_edu.tensor([1, 7]), torch.tensor([1, 7])
    else:
        ours_index = their_index = index
    assert_same(ours[ours_index], theirs[their_index])
    assert len(ours) == len(theirs) == 10


def test_tutorial_slicing_gives_a_batch_tuple():
    ours, _ = pair(20)
    bs, i = 6, 2
    xb, yb = ours[i * bs: i * bs + bs]
    assert tuple(xb.shape) == (6, 2) and tuple(yb.shape) == (6,)
    assert yb.tolist() == [v % 3 for v in range(12, 18)]


def test_getitems_stacks_like_default_collate(assert_same):
    ours, theirs = pair()
    batch = ours.__getitems__([5, 2, 9])
    assert len(batch) == 3
    assert_same(list(batch), [theirs[5], theirs[2], theirs[9]])
    assert_same(data.default_collate(batch), tdata.default_collate([theirs[i] for i in [5, 2, 9]]))
    assert_same(batch[1:], [theirs[2], theirs[9]])


def test_getitems_errors_in_torchs_words():
    ours, theirs = pair()
    with pytest.raises(IndexError) as theirs_error:
        theirs[np.array([10])]
    with pytest.raises(IndexError) as ours_error:
        ours.__getitems__([10])
    assert str(ours_error.value) == str(theirs_error.value)
    with pytest.raises(IndexError, match="tensors used as indices must be long"):
        ours.__getitems__([1.5])
    assert len(data.default_collate(ours.__getitems__([]))[0]) == 0


def test_tensor_dataset_size_mismatch():
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        data.TensorDataset(tinygrad_edu.zeros(3), tinygrad_edu.zeros(4))


def test_subset(assert_same):
    ours, theirs = pair()
    keep = [9, 3, 3, 0]
    assert_same(data.Subset(ours, keep)[1], tdata.Subset(theirs, keep)[1])
    assert_same(data.Subset(ours, keep)[[0, 2]], tdata.Subset(theirs, keep)[[0, 2]])
    assert_same(list(data.Subset(ours, keep).__getitems__([3, 1])),
                tdata.Subset(theirs, keep).__getitems__([3, 1]))
    assert len(data.Subset(ours, keep)) == 4

    class Custom(data.Subset):
        def __getitem__(self, index):
            return index

    with pytest.raises(NotImplementedError, match="overrides __getitem__ but not __getitems__"):
        Custom(ours, keep)


def test_concat_dataset_and_add(assert_same):
    (a, ta), (b, tb) = pair(4), pair(3)
    ours, theirs = a + b, ta + tb
    assert isinstance(ours, data.ConcatDataset)
    assert len(ours) == len(theirs) == 7 and ours.cumulative_sizes == theirs.cumulative_sizes
    for index in range(-7, 7):
        assert_same(ours[index], theirs[index], f"index {index}")
    with pytest.raises(ValueError, match="absolute value of index should not exceed"):
        ours[-8]
    with pytest.raises(AssertionError, match="datasets should not be an empty iterable"):
        data.ConcatDataset([])


def test_chain_dataset():
    class Stream(data.IterableDataset):
        def __init__(self, values):
            self.values = values

        def __iter__(self):
            return iter(self.values)

        def __len__(self):
            return len(self.values)

    chained = Stream([1, 2]) + Stream([3])
    assert list(chained) == [1, 2, 3] and len(chained) == 3
    with pytest.raises(AssertionError, match="ConcatDataset does not support IterableDataset"):
        data.ConcatDataset([Stream([1])])


# ----------------------------------------------------------------------------- random_split

def split_outcome(split, n, lengths):
    """Sizes and warnings of split(range(n), lengths), or the error it raises."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            sizes = [len(part) for part in split(range(n), lengths)]
        except ValueError as error:
            return ("error", str(error))
    return ("ok", sizes, [str(warning.message) for warning in caught])


@given(n=st.integers(0, 500),
       parts=st.lists(st.integers(0, 100), min_size=1, max_size=5).filter(any))
def test_random_split_fractions_equal_torch(n, parts):
    fractions = [p / sum(parts) for p in parts]
    assert split_outcome(data.random_split, n, fractions) == \
        split_outcome(tdata.random_split, n, fractions)


def test_random_split_partitions_with_a_generator():
    generator = tinygrad_edu.Generator().manual_seed(0)
    parts = data.random_split(range(30), [0.3, 0.3, 0.4], generator=generator)
    assert [len(p) for p in parts] == [9, 9, 12]
    assert sorted(i for p in parts for i in p) == list(range(30))
    again = data.random_split(range(30), [9, 9, 12],
                              generator=tinygrad_edu.Generator().manual_seed(0))
    assert [list(p) for p in parts] == [list(p) for p in again]


@pytest.mark.parametrize("lengths", [[3, 3], [0.5, 0.6], [-0.5, 1.5]])
def test_random_split_errors_are_torchs(lengths):
    with pytest.raises(ValueError) as theirs:
        tdata.random_split(range(10), lengths)
    with pytest.raises(ValueError) as ours:
        data.random_split(range(10), lengths)
    assert str(ours.value) == str(theirs.value)


def test_random_split_warns_about_empty_splits():
    with pytest.warns(UserWarning) as record:
        data.random_split(range(2), [0.9, 0.05, 0.05])
    assert [str(w.message)[:27] for w in record] == ["Length of split at index 1 ",
                                                     "Length of split at index 2 "]
