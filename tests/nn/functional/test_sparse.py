"""embedding, one_hot and pad against torch: values, gradients (repeated indices add up,
padding_idx gets none), and every padding mode, negative pads included.

Without torch (the last sections): finite-difference gradients of lookups with repeated
indices, and padding_idx left without gradient; finite-difference gradients of every padding
mode (negative pads too) and values worked by hand."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from parity.check import check_op
from tinygrad_edu.autograd import gradcheck


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@given(rows=st.integers(1, 8), dim=st.integers(1, 4),
       index_shape=st.lists(st.integers(1, 4), max_size=3), data=st.data())
def test_embedding_matches_torch(dtype, rows, dim, index_shape, data):
    rng = np.random.default_rng(rows * 10 + dim)
    indices = rng.integers(0, rows, index_shape)  # small tables: indices repeat
    padding_idx = data.draw(st.one_of(st.none(), st.integers(-rows, rows - 1)), label="pad")
    scale = data.draw(st.booleans(), label="scale_grad_by_freq")
    weight = rng.standard_normal((rows, dim)).astype(dtype)
    check_op(lambda lib, w: lib.nn.functional.embedding(
        lib.tensor(indices), w, padding_idx=padding_idx, scale_grad_by_freq=scale), [weight])


def test_embedding_max_norm_renormalizes_the_rows_used():
    rng = np.random.default_rng(0)
    weight = rng.standard_normal((6, 3)) * 3
    indices = np.array([[0, 2], [2, 5]])
    check_op(lambda lib, w: lib.nn.functional.embedding(lib.tensor(indices), w * 1.0,
                                                        max_norm=1.5), [weight])
    ours, theirs = tinygrad_edu.tensor(weight), torch.tensor(weight)
    F.embedding(tinygrad_edu.tensor(indices), ours, max_norm=1.5, norm_type=1.0)
    torch.nn.functional.embedding(torch.tensor(indices), theirs, max_norm=1.5, norm_type=1.0)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


def test_embedding_graph_name_matches_torch():
    def name(lib):
        w = lib.randn(4, 2, requires_grad=True)
        return type(lib.nn.functional.embedding(lib.tensor([1, 1, 3]), w).grad_fn).__name__
    assert name(tinygrad_edu) == name(torch) == "EmbeddingBackward0"


@given(shape=st.lists(st.integers(0, 4), min_size=0, max_size=3),
       num_classes=st.sampled_from([-1, 5, 7]))
def test_one_hot_matches_torch(shape, num_classes):
    labels = np.random.default_rng(len(shape)).integers(0, 5, shape)
    if labels.size == 0 and num_classes == -1:
        num_classes = 5
    ours = F.one_hot(tinygrad_edu.tensor(labels), num_classes).numpy()
    theirs = torch.nn.functional.one_hot(torch.tensor(labels), num_classes).numpy()
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    assert np.array_equal(ours, theirs)


@st.composite
def pad_cases(draw):
    mode = draw(st.sampled_from(["constant", "reflect", "replicate", "circular"]))
    if mode == "constant":
        rank = draw(st.integers(1, 4))
        padded = draw(st.integers(1, rank))
    else:
        padded = draw(st.integers(1, 3))
        rank = padded + draw(st.integers(1, 2))
    shape = tuple(draw(st.integers(1, 4)) for _ in range(rank))
    pads = []
    for size in reversed(shape[rank - padded:]):  # torch's order: the last dimension first
        low = -(size - 1) // 2 if mode != "replicate" else -(size - 1)
        high = size - 1 if mode == "reflect" else size if mode == "circular" else 3
        before = draw(st.integers(low, high))
        after = draw(st.integers(max(low, -(size - 1) - min(before, 0)), high))
        if mode == "circular" and max(before, after) > size + min(before, 0) + min(after, 0):
            # torch reads uninitialized memory when it wraps around a cropped dimension more
            # than once: only wrap around what remains
            before, after = max(before, 0), max(after, 0)
        pads += [before, after]
    value = draw(st.sampled_from([None, 0.0, 2.5])) if mode == "constant" else None
    return shape, tuple(pads), mode, value


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@given(case=pad_cases(), seed=st.integers(0, 2**16))
def test_pad_matches_torch(case, seed, dtype):
    shape, pads, mode, value = case
    x = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    check_op(lambda lib, x: lib.nn.functional.pad(x, pads, mode=mode, value=value), [x])


@pytest.mark.parametrize("mode,pads,shape", [("constant", (1, 1), (2, 3)),
                                             ("reflect", (1, 1), (2, 3)),
                                             ("reflect", (1, 1, 1, 1), (1, 2, 3, 3)),
                                             ("replicate", (1, 1, 1, 1, 1, 1), (1, 1, 2, 2, 2))])
def test_pad_graph_names_match_torch(mode, pads, shape):
    def name(lib):
        x = lib.randn(*shape, requires_grad=True)
        return type(lib.nn.functional.pad(x, pads, mode=mode).grad_fn).__name__
    assert name(tinygrad_edu) == name(torch)


# ----------------------------------------------------------------------------- embedding, no torch

def test_embedding_gradients_match_finite_differences():
    # (padding_idx and scale_grad_by_freq change the gradient on purpose: tested against torch)
    weight = tinygrad_edu.tensor(np.random.default_rng(1).standard_normal((4, 3)),
                                 requires_grad=True)
    indices = tinygrad_edu.tensor([[1, 3, 1], [0, 1, 2]])
    assert gradcheck(lambda w: F.embedding(indices, w), (weight,))


def test_embedding_adds_up_repeated_rows_and_skips_padding_idx():
    weight = tinygrad_edu.zeros(3, 2, requires_grad=True)
    F.embedding(tinygrad_edu.tensor([0, 2, 0, 0]), weight, padding_idx=2).sum().backward()
    assert weight.grad.tolist() == [[3.0, 3.0], [0.0, 0.0], [0.0, 0.0]]


# ----------------------------------------------------------------------------- pad, no torch

@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("pads", [(1, 2), (2, 0, 1, 1), (-1, 2), (1, -1, 0, 2)])
def test_pad_gradients_match_finite_differences(mode, pads):
    shape = (2, 3, 4) if len(pads) == 2 else (1, 2, 3, 4)  # the ranks torch's modes accept
    x = tinygrad_edu.tensor(np.random.default_rng(0).standard_normal(shape), requires_grad=True)
    assert gradcheck(lambda x: F.pad(x, pads, mode=mode), (x,))


def test_pad_values_worked_by_hand():
    x = tinygrad_edu.tensor([[[1.0, 2.0, 3.0]]])
    assert F.pad(x, (2, 1), mode="reflect").tolist() == [[[3.0, 2.0, 1.0, 2.0, 3.0, 2.0]]]
    assert F.pad(x, (2, 1), mode="replicate").tolist() == [[[1.0, 1.0, 1.0, 2.0, 3.0, 3.0]]]
    assert F.pad(x, (2, 1), mode="circular").tolist() == [[[2.0, 3.0, 1.0, 2.0, 3.0, 1.0]]]
    assert F.pad(x, (-1, 1), value=7.0).tolist() == [[[2.0, 3.0, 7.0]]]
