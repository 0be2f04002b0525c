"""nn.utils.rnn against torch's: padding, packing and unpacking, values, index tensors and the
gradients that flow back through them, for drawn lengths and options; PackedSequence's face;
torch's errors.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
from parity.check import check_op

lengths_lists = st.lists(st.integers(1, 5), min_size=1, max_size=4)
trailing_shapes = st.sampled_from([(), (2,), (1, 3)])


def rnn_utils(lib):
    return lib.nn.utils.rnn


def _sequences(lengths, trailing, seed):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((n, *trailing)) for n in lengths]


@given(lengths=lengths_lists, trailing=trailing_shapes, batch_first=st.booleans(),
       padding_value=st.sampled_from([0.0, -1.5]), side=st.sampled_from(["right", "left"]),
       seed=st.integers(0, 2**16))
def test_pad_sequence(lengths, trailing, batch_first, padding_value, side, seed):
    check_op(lambda lib, *s: rnn_utils(lib).pad_sequence(
        list(s), batch_first=batch_first, padding_value=padding_value, padding_side=side),
        _sequences(lengths, trailing, seed))


@given(lengths=lengths_lists, trailing=trailing_shapes, batch_first=st.booleans(),
       as_tensor=st.booleans(), seed=st.integers(0, 2**16))
def test_pack_padded_sequence_sorted_and_unsorted(lengths, trailing, batch_first, as_tensor,
                                                  seed):
    """Every field of the PackedSequence, and the input's gradient through the packing."""
    steps, batch = max(lengths), len(lengths)
    shape = (batch, steps, *trailing) if batch_first else (steps, batch, *trailing)
    x = np.random.default_rng(seed).standard_normal(shape)
    for enforce_sorted, given_lengths in ((False, lengths), (True, sorted(lengths)[::-1])):
        def pack(lib, x):
            arg = lib.tensor(given_lengths) if as_tensor else given_lengths
            return list(rnn_utils(lib).pack_padded_sequence(x, arg, batch_first=batch_first,
                                                            enforce_sorted=enforce_sorted))
        check_op(pack, [x])


@given(lengths=lengths_lists, batch_first=st.booleans(), extra=st.integers(0, 2),
       padding_value=st.sampled_from([0.0, 7.0]), seed=st.integers(0, 2**16))
def test_pad_packed_sequence_returns_the_original_order(lengths, batch_first, extra,
                                                        padding_value, seed):
    def round_trip(lib, *sequences):
        packed = rnn_utils(lib).pack_sequence(list(sequences), enforce_sorted=False)
        padded, found = rnn_utils(lib).pad_packed_sequence(
            packed, batch_first=batch_first, padding_value=padding_value,
            total_length=max(lengths) + extra)
        return [padded, found]
    check_op(round_trip, _sequences(lengths, (2,), seed))


@given(lengths=lengths_lists, seed=st.integers(0, 2**16))
def test_unpack_and_unpad_give_back_the_sequences(lengths, seed):
    def unpack(lib, *sequences):
        packed = rnn_utils(lib).pack_sequence(list(sequences), enforce_sorted=False)
        return rnn_utils(lib).unpack_sequence(packed)
    check_op(unpack, _sequences(lengths, (3,), seed))

    def unpad(lib, *sequences):
        padded = rnn_utils(lib).pad_sequence(list(sequences), batch_first=True)
        return rnn_utils(lib).unpad_sequence(padded, lib.tensor(lengths), batch_first=True)
    check_op(unpad, _sequences(lengths, (), seed))


def test_packed_sequence_is_torchs_named_tuple():
    ours = rnn_utils(tinygrad_edu).pack_sequence(
        [tinygrad_edu.tensor([1.0, 2.0]), tinygrad_edu.tensor([3.0, 4.0, 5.0])],
        enforce_sorted=False)
    theirs = rnn_utils(torch).pack_sequence(
        [torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0, 5.0])], enforce_sorted=False)
    assert isinstance(ours, tuple) and ours._fields == theirs._fields
    assert repr(ours) == repr(theirs)
    data, batch_sizes, sorted_indices, unsorted_indices = ours
    assert ours.data is data and ours.batch_sizes.dtype == tinygrad_edu.int64
    assert ours.sorted_indices.tolist() == theirs.sorted_indices.tolist() == [1, 0]
    same = ours.to(tinygrad_edu.float32)
    assert same is ours
    wider = ours.to(tinygrad_edu.float64)
    assert wider.data.dtype == tinygrad_edu.float64 and wider.batch_sizes is ours.batch_sizes
    assert wider.unsorted_indices.tolist() == [1, 0]
    assert ours.double().data.dtype == tinygrad_edu.float64
    assert not ours.is_cuda
    made = rnn_utils(tinygrad_edu).PackedSequence((data, batch_sizes))
    assert made.sorted_indices is None and made.unsorted_indices is None
    inverse = rnn_utils(tinygrad_edu).invert_permutation(tinygrad_edu.tensor([2, 0, 1]))
    assert inverse.tolist() == torch.nn.utils.rnn.invert_permutation(
        torch.tensor([2, 0, 1])).tolist()


def test_module_path_is_torchs():
    import tinygrad_edu.nn.utils.rnn as ours
    assert ours.pack_padded_sequence is tinygrad_edu.nn.utils.rnn.pack_padded_sequence
    assert sorted(ours.__all__) == sorted(torch.nn.utils.rnn.__all__)


# ----------------------------------------------------------------------------- torch's errors

def _x(lib):
    return lib.zeros(4, 3, 2)


@pytest.mark.parametrize("call", [
    lambda u, lib: u.pack_padded_sequence(_x(lib), [2, 3, 1]),
    lambda u, lib: u.pack_padded_sequence(_x(lib), [3, 2, 0]),
    lambda u, lib: u.pack_padded_sequence(_x(lib), [0, 3, 2]),
    lambda u, lib: u.pack_padded_sequence(_x(lib), [3, 2, 0], enforce_sorted=False),
    lambda u, lib: u.pack_padded_sequence(_x(lib), [3, 2]),
    lambda u, lib: u.pack_sequence([lib.ones(1), lib.ones(2)]),
    lambda u, lib: u.pad_sequence([lib.ones(2)], padding_side="middle"),
    lambda u, lib: u.pad_sequence(3),
    lambda u, lib: u.pad_sequence([]),
    lambda u, lib: u.pad_sequence([lib.ones(2, 3), lib.ones(2, 4)]),
    lambda u, lib: u.pad_packed_sequence(u.pack_padded_sequence(_x(lib), [3, 2, 1]),
                                         total_length=2),
], ids=["unsorted", "zero_length", "zero_first_unsorted", "zero_length_unsorted",
        "lengths_count", "pack_unsorted", "padding_side", "not_iterable", "empty",
        "trailing_sizes", "total_length"])
def test_errors_match_torch(call):
    outcomes = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(Exception) as caught:
            call(rnn_utils(lib), lib)
        outcomes.append(caught)
    theirs, ours = outcomes
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)
