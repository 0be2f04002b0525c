"""Dropout: with the mask torch drew, ours gives torch's values and gradients; the default mask
keeps the right fraction; evaluation mode and the edge probabilities behave as torch's."""
from __future__ import annotations

import math
from contextlib import nullcontext

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from parity.bridge import masks_from_torch
from parity.check import check_op
from tinygrad_edu.nn.functional import dropouts


def _torch_mask(shape, p, seed, channelwise):
    """The keep-mask torch's dropout draws after manual_seed(seed), read off a ones tensor."""
    torch.manual_seed(seed)
    ones = torch.ones(shape, dtype=torch.float64)
    dropped = (torch.nn.functional.dropout2d if channelwise else
               torch.nn.functional.dropout)(ones, p)
    kept = (dropped != 0).numpy()
    return kept[:, :, :1, :1] if channelwise else kept  # one draw per channel


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("kind", ["dropout", "dropout2d", "dropout_inplace"])
@given(p=st.sampled_from([0.1, 0.25, 0.5, 0.9]), seed=st.integers(0, 2**16),
       shape=st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4),
                       st.integers(1, 4)))
def test_same_mask_gives_torch_values_and_gradients(kind, dtype, p, seed, shape):
    channelwise = kind == "dropout2d"
    mask = _torch_mask(shape, p, seed, channelwise)
    mask_shape = shape[:2] + (1, 1) if channelwise else shape
    seen = []

    def given_mask(mask_shape_asked, p_asked, dtype_asked, device):
        seen.append((tuple(mask_shape_asked), p_asked, dtype_asked, str(device)))
        return tinygrad_edu.tensor(mask.reshape(mask_shape_asked))

    def fn(lib, x):
        if lib is torch:
            torch.manual_seed(seed)  # torch draws the very mask read off above
        f = lib.nn.functional
        if kind == "dropout_inplace":
            return f.dropout(x * 1.0, p, training=True, inplace=True)
        return (f.dropout2d if channelwise else f.dropout)(x, p, training=True)
    x = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    original = dropouts.bernoulli_mask
    with pytest.MonkeyPatch.context() as patch:  # the drawer is restored afterwards
        patch.setattr(dropouts, "bernoulli_mask", given_mask)
        check_op(fn, [x])
    assert dropouts.bernoulli_mask is original
    assert seen == [(mask_shape, p, getattr(tinygrad_edu, dtype), "cpu")]


def test_dropout_records_a_multiplication_as_torch():
    def names(lib):
        x = lib.randn(3, 4, requires_grad=True)
        node = lib.nn.functional.dropout(x, 0.5).grad_fn
        return type(node).__name__, [None if n is None else type(n).__name__
                                     for n, _ in node.next_functions]
    assert names(tinygrad_edu) == names(torch) == ("MulBackward0", ["AccumulateGrad", None])


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_default_mask_keeps_the_right_fraction(p):
    tinygrad_edu.manual_seed(1234)
    n = 200_000
    out = F.dropout(tinygrad_edu.ones(n), p).numpy()
    kept = out != 0
    # a binomial count: within 6 standard deviations of n (1 - p)
    assert abs(kept.sum() - n * (1 - p)) < 6 * math.sqrt(n * p * (1 - p))
    np.testing.assert_allclose(out[kept], 1 / (1 - p), rtol=1e-6)


def test_dropout2d_drops_whole_channels():
    tinygrad_edu.manual_seed(0)
    out = F.dropout2d(tinygrad_edu.ones(8, 16, 3, 3), 0.5).numpy()
    per_channel = out.reshape(8, 16, 9)
    assert ((per_channel == 0).all(axis=2) | (per_channel == 2).all(axis=2)).all()
    assert 0 < (per_channel == 0).all(axis=2).sum() < 8 * 16


def test_default_masks_follow_manual_seed():
    tinygrad_edu.manual_seed(7)
    first = F.dropout(tinygrad_edu.ones(100), 0.5).numpy()
    tinygrad_edu.manual_seed(7)
    assert np.array_equal(first, F.dropout(tinygrad_edu.ones(100), 0.5).numpy())


def test_identity_when_not_training_or_p_zero():
    x = tinygrad_edu.randn(4, 5)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    assert F.dropout2d(x[None, None], 0.5, training=False).shape == (1, 1, 4, 5)


def test_p_one_zeroes_everything_as_torch():
    check_op(lambda lib, x: lib.nn.functional.dropout(x, 1.0), [np.ones((3, 4))])


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_probability_out_of_range_raises_as_torch(p):
    with pytest.raises(ValueError, match=f"dropout probability has to be between 0 and 1, but "
                                         f"got {p}"):
        F.dropout(tinygrad_edu.ones(3), p)


@pytest.mark.parametrize("view", [lambda x: x.permute(1, 0, 2), lambda x: x.permute(2, 0, 1),
                                  lambda x: x.transpose(1, 2)[:, ::2], lambda x: x * 1.0])
@pytest.mark.parametrize("inplace", [False, True])
def test_masks_are_drawn_in_the_inputs_memory_order_as_torch(view, inplace):
    """torch fills empty_like(input) one element after the next in memory: with torch's draws
    replayed, a transposed or sliced input gets torch's mask, element for element."""
    x = np.random.default_rng(0).standard_normal((3, 2, 4))
    results = []
    for lib in (torch, tinygrad_edu):
        torch.manual_seed(5)
        with masks_from_torch(5, "float64", "cpu") if lib is tinygrad_edu else nullcontext():
            leaf = lib.tensor(x, requires_grad=True)
            out = lib.nn.functional.dropout(view(leaf * 1.0), 0.4, inplace=inplace)
        out.sum().backward()
        results.append((out.detach().numpy(), leaf.grad.numpy()))
    for ours, theirs in zip(results[1], results[0]):
        np.testing.assert_array_equal(ours, theirs)
