"""BatchNorm, LayerNorm, Embedding and Dropout against torch's layers.

Forward and gradients go through the same check as the other layers; BatchNorm's running
statistics are followed over several training steps (every momentum mode) and must stay equal
to torch's, and eval mode must then give torch's output.
"""
from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st

import tinygrad_edu
from parity.check import compare_arrays
from tinygrad_edu.nn.functional import dropouts

from .test_layers import DTYPES, arrays, check_layer, seeds

# A normalization's input gradient subtracts nearly equal terms, so float32 rounding is amplified
# (by 1/σ): torch's own float32 gradient can be 2e-5 (relative) off the float64 value, while ours
# is closer to it. float32 normalization is therefore compared at rtol 1e-4 (float64 keeps
# check_op's 1e-10).
NORM_RTOL = {"float64": None, "float32": 1e-4}

# ----------------------------------------------------------------------------- BatchNorm

bn_shapes = st.one_of(
    st.tuples(st.just("BatchNorm1d"), st.integers(2, 4), st.integers(1, 3)),
    st.tuples(st.just("BatchNorm1d"), st.integers(1, 3), st.integers(1, 3), st.integers(2, 4)),
    st.tuples(st.just("BatchNorm2d"), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3),
              st.integers(2, 3)))


@pytest.mark.parametrize("dtype", DTYPES)
@given(case=bn_shapes, affine=st.booleans(), track=st.booleans(), train=st.booleans(),
       seed=seeds)
def test_batch_norm_forward_and_gradients(dtype, case, affine, track, train, seed):
    name, *shape = case
    channels = shape[1]

    def make(nn):
        return getattr(nn, name)(channels, eps=1e-3, affine=affine, track_running_stats=track)

    check_layer(make, arrays(shape, seed), dtype, train=train, rtol=NORM_RTOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("momentum", [0.1, 0.5, None])
@pytest.mark.parametrize("name, shape", [("BatchNorm1d", (5, 3)), ("BatchNorm1d", (4, 3, 2)),
                                         ("BatchNorm2d", (2, 3, 4, 3))])
def test_batch_norm_running_statistics_follow_torch(dtype, momentum, name, shape):
    theirs = getattr(torch.nn, name)(3, momentum=momentum).to(getattr(torch, dtype))
    ours = getattr(tinygrad_edu.nn, name)(3, momentum=momentum).to(getattr(tinygrad_edu, dtype))
    rtol, atol = (1e-10, 1e-12) if dtype == "float64" else (1e-5, 1e-6)
    for step in range(4):
        x = arrays(shape, step, -3, 5).astype(dtype)
        ours(tinygrad_edu.tensor(x)), theirs(torch.tensor(x))
        for key, value in theirs.state_dict().items():
            compare_arrays(ours.state_dict()[key].numpy(), value.numpy(), rtol, atol,
                           f"{key} after step {step}")
    ours.eval(), theirs.eval()
    x = arrays(shape, 9).astype(dtype)
    compare_arrays(ours(tinygrad_edu.tensor(x)).detach().numpy(),
                   theirs(torch.tensor(x)).detach().numpy(), rtol, atol, "eval output")


def test_batch_norm_input_rank_errors():
    for lib in (tinygrad_edu, torch):
        with pytest.raises(ValueError, match=r"expected 2D or 3D input \(got 4D input\)"):
            lib.nn.BatchNorm1d(3)(lib.zeros(2, 3, 1, 1))
        with pytest.raises(ValueError, match=r"expected 4D input \(got 2D input\)"):
            lib.nn.BatchNorm2d(3)(lib.zeros(2, 3))


def test_batch_norm_without_bias():
    check_layer(lambda nn: nn.BatchNorm1d(3, bias=False), arrays((4, 3)), "float64")
    assert repr(tinygrad_edu.nn.BatchNorm2d(3, bias=False)) == \
        repr(torch.nn.BatchNorm2d(3, bias=False))


# ----------------------------------------------------------------------------- LayerNorm

@pytest.mark.parametrize("dtype", DTYPES)
@given(shape=st.lists(st.integers(1, 4), min_size=2, max_size=4), normalized=st.integers(1, 2),
       affine=st.booleans(), bias=st.booleans(), train=st.booleans(), seed=seeds)
def test_layer_norm(dtype, shape, normalized, affine, bias, train, seed):
    normalized_shape = shape[-normalized:]
    # Over one or two elements the normalized output is constant (0, or ±1 up to eps): the
    # exact input gradient is ~0 and float32 results (torch's too) are rounding noise
    # amplified by 1/sqrt(eps), which no tolerance separates from a real error.
    assume(dtype == "float64" or np.prod(normalized_shape) > 2)

    def make(nn):
        return nn.LayerNorm(normalized_shape, eps=1e-4, elementwise_affine=affine, bias=bias)

    check_layer(make, arrays(shape, seed), dtype, train=train, rtol=NORM_RTOL[dtype])


# ----------------------------------------------------------------------------- Embedding

@pytest.mark.parametrize("dtype", DTYPES)
@given(count=st.integers(2, 6), dim=st.integers(1, 4),
       index_shape=st.lists(st.integers(1, 4), min_size=1, max_size=2),
       padding=st.booleans(), seed=seeds)
def test_embedding(dtype, count, dim, index_shape, padding, seed):
    indices = np.random.default_rng(seed).integers(0, count, index_shape)
    padding_idx = int(indices.flat[0]) if padding else None
    check_layer(lambda nn: nn.Embedding(count, dim, padding_idx=padding_idx), indices, dtype)


def test_embedding_from_pretrained_and_reprs():
    weights = arrays((4, 3))
    ours = tinygrad_edu.nn.Embedding.from_pretrained(tinygrad_edu.tensor(weights), padding_idx=1)
    theirs = torch.nn.Embedding.from_pretrained(torch.tensor(weights), padding_idx=1)
    assert repr(ours) == repr(theirs) and not ours.weight.requires_grad
    index = [[0, 3], [1, 2]]
    assert np.array_equal(ours(tinygrad_edu.tensor(index)).numpy(),
                          theirs(torch.tensor(index)).numpy())
    for args in ((5, 2, 4, 1.0, 3.0, True, True), (5, 2, -1)):
        assert repr(tinygrad_edu.nn.Embedding(*args)) == repr(torch.nn.Embedding(*args))
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        tinygrad_edu.nn.Embedding(3, 2, padding_idx=3)


# ----------------------------------------------------------------------------- Dropout

@contextmanager
def masks_from(mask: np.ndarray):
    """Make our dropout draw exactly `mask` (in place of dropouts.bernoulli_mask)."""
    asked = []

    def source(shape, p, dtype, device):
        asked.append(tuple(shape))
        return tinygrad_edu.tensor(mask)

    original, dropouts.bernoulli_mask = dropouts.bernoulli_mask, source
    try:
        yield asked
    finally:
        dropouts.bernoulli_mask = original


def torch_mask(name: str, p: float, x: np.ndarray) -> np.ndarray:
    """The mask torch draws right after manual_seed(0) (check_layer seeds it the same way),
    read off its output: inputs are non-zero, so an output is zero exactly where dropped."""
    torch.manual_seed(0)
    kept = getattr(torch.nn, name)(p)(torch.tensor(x)).numpy() != 0
    return kept if name == "Dropout" else kept.any(axis=tuple(range(2, x.ndim)), keepdims=True)


@pytest.mark.filterwarnings("ignore:dropout2d. Received a 3D input")  # both warn, as intended
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["Dropout", "Dropout2d"])
@given(shape=st.lists(st.integers(1, 4), min_size=3, max_size=4),
       p=st.sampled_from([0.0, 0.2, 0.5, 0.9, 1.0]), train=st.booleans(), seed=seeds)
def test_dropout_with_torchs_mask(dtype, name, shape, p, train, seed):
    x = arrays(shape, seed, 0.5, 2.0) * np.sign(arrays(shape, seed + 1))
    mask = torch_mask(name, p, x.astype(dtype))
    with masks_from(mask) as asked:
        check_layer(lambda nn: getattr(nn, name)(p), x, dtype, train=train)
    drew = train and 0 < p < 1
    assert asked == ([mask.shape] if drew else [])


def test_dropout_statistics_and_inplace():
    tinygrad_edu.manual_seed(0)
    x = tinygrad_edu.ones(200, 100)
    out = tinygrad_edu.nn.Dropout(0.3)(x)
    kept = (out != 0).float().mean().item()
    assert abs(kept - 0.7) < 0.01 and set(np.unique(out.numpy())) == {0.0, np.float32(1 / 0.7)}
    channels = tinygrad_edu.nn.Dropout2d(0.5)(tinygrad_edu.ones(50, 40, 3, 3)).numpy()
    assert np.all(channels.min(axis=(2, 3)) == channels.max(axis=(2, 3)))  # whole channels
    y = tinygrad_edu.ones(4, 4)
    assert tinygrad_edu.nn.Dropout(0.5, inplace=True)(y) is y
    layer = tinygrad_edu.nn.Dropout(0.5).eval()
    assert layer(x) is x
