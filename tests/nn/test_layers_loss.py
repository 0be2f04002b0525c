"""The loss layers against torch's: every reduction, class weights, ignore_index,
label_smoothing and pos_weight, forward and gradient, float64 and float32."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
from parity.check import check_op

from .test_layers import DTYPES, seeds

reductions = st.sampled_from(["mean", "sum", "none"])


def loss_check(make, input, target, dtype, weights=()):
    """check_op on make(lib.nn, *weights)(input, target); only the input takes a gradient."""
    input = input.astype(dtype)
    target = target.astype(dtype) if target.dtype.kind == "f" else target
    weights = [w.astype(dtype) for w in weights]

    def run(lib, input, target, *weights):
        return make(lib.nn, *weights)(input, target)

    needs = [True, False] + [False] * len(weights)
    return check_op(run, [input, target, *weights], requires_grad=needs)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss"])
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3), reduction=reductions,
       seed=seeds)
def test_regression_losses(dtype, name, shape, reduction, seed):
    rng = np.random.default_rng(seed)
    options = {"SmoothL1Loss": {"beta": 0.5}, "HuberLoss": {"delta": 0.7}}.get(name, {})
    loss_check(lambda nn: getattr(nn, name)(reduction=reduction, **options),
               rng.normal(size=shape), rng.normal(size=shape), dtype)


@st.composite
def classification(draw):
    batch, classes = draw(st.integers(1, 4)), draw(st.integers(2, 5))
    spatial = draw(st.lists(st.integers(1, 3), max_size=1))
    rng = np.random.default_rng(draw(seeds))
    logits = rng.normal(size=(batch, classes, *spatial))
    target = rng.integers(0, classes, (batch, *spatial))
    weight = rng.uniform(0.2, 2.0, classes) if draw(st.booleans()) else None
    ignore = int(target.flat[0]) if draw(st.booleans()) and target.size > 1 else -100
    return logits, target, weight, ignore


@pytest.mark.parametrize("dtype", DTYPES)
@given(case=classification(), reduction=reductions, smoothing=st.sampled_from([0.0, 0.2]))
def test_cross_entropy_loss(dtype, case, reduction, smoothing):
    logits, target, weight, ignore = case
    weights = () if weight is None else (weight,)
    loss_check(lambda nn, *w: nn.CrossEntropyLoss(*w, ignore_index=ignore, reduction=reduction,
                                                  label_smoothing=smoothing),
               logits, target, dtype, weights)


@pytest.mark.parametrize("dtype", DTYPES)
@given(case=classification(), reduction=reductions)
def test_nll_loss(dtype, case, reduction):
    logits, target, weight, ignore = case
    log_probabilities = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    weights = () if weight is None else (weight,)
    loss_check(lambda nn, *w: nn.NLLLoss(*w, ignore_index=ignore, reduction=reduction),
               log_probabilities, target, dtype, weights)


def test_cross_entropy_with_probability_targets():
    rng = np.random.default_rng(0)
    target = rng.dirichlet(np.ones(4), size=3)
    loss_check(lambda nn: nn.CrossEntropyLoss(label_smoothing=0.1), rng.normal(size=(3, 4)),
               target, "float64")


@pytest.mark.parametrize("dtype", DTYPES)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3), reduction=reductions,
       weighted=st.booleans(), positive=st.booleans(), seed=seeds)
def test_binary_cross_entropy_losses(dtype, shape, reduction, weighted, positive, seed):
    rng = np.random.default_rng(seed)
    logits, target = rng.normal(size=shape), rng.uniform(0, 1, shape)
    weight = (rng.uniform(0.5, 2, shape[-1]),) if weighted else ()
    loss_check(lambda nn, *w: nn.BCELoss(*w, reduction=reduction),
               1 / (1 + np.exp(-logits)), target, dtype, weight)
    pos_weight = rng.uniform(0.5, 3, shape[-1]) if positive else None

    def with_logits(nn, *w):
        extra = {} if pos_weight is None else {"pos_weight": w[-1]}
        return nn.BCEWithLogitsLoss(*w[:len(weight)], reduction=reduction, **extra)

    loss_check(with_logits, logits, target, dtype,
               weight + (() if pos_weight is None else (pos_weight,)))


def test_weights_are_buffers_and_legacy_arguments_warn():
    weight = [1.0, 2.0, 0.5]
    for lib in (tinygrad_edu, torch):
        loss = lib.nn.CrossEntropyLoss(weight=lib.tensor(weight))
        assert list(loss.state_dict()) == ["weight"] and repr(loss) == "CrossEntropyLoss()"
        assert list(lib.nn.BCEWithLogitsLoss(pos_weight=lib.ones(2)).state_dict()) == \
            ["pos_weight"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert tinygrad_edu.nn.MSELoss(size_average=False).reduction == "sum"
        assert tinygrad_edu.nn.L1Loss(reduce=False).reduction == "none"
    assert "please use reduction='sum' instead" in str(caught[0].message)
    with pytest.raises(TypeError, match="delta must be a float or int"):
        tinygrad_edu.nn.HuberLoss(delta="1")
