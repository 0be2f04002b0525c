"""The losses against torch: every reduction, input and target gradients, broadcast targets,
weights, ignore_index (none, some, all ignored), label smoothing, class-probability targets,
spatial inputs, and logits or probabilities at the extremes.

Without torch (the last section): finite-difference gradients for inputs and targets, values
worked by hand, and once-differentiable backwards."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from parity.check import check_op
from tinygrad_edu.autograd import gradcheck

DTYPES = ["float64", "float32"]
REDUCTIONS = ["none", "mean", "sum"]


# ----------------------------------------------------------------------------- regression

REGRESSION = {
    "mse_loss": lambda f, x, t, r: f.mse_loss(x, t, reduction=r),
    "l1_loss": lambda f, x, t, r: f.l1_loss(x, t, reduction=r),
    "smooth_l1_loss": lambda f, x, t, r: f.smooth_l1_loss(x, t, reduction=r),
    "smooth_l1_loss_beta": lambda f, x, t, r: f.smooth_l1_loss(x, t, reduction=r, beta=0.3),
    "smooth_l1_loss_beta0": lambda f, x, t, r: f.smooth_l1_loss(x, t, reduction=r, beta=0.0),
    "huber_loss": lambda f, x, t, r: f.huber_loss(x, t, reduction=r),
    "huber_loss_delta": lambda f, x, t, r: f.huber_loss(x, t, reduction=r, delta=2.5),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(REGRESSION))
@given(shape=st.lists(st.integers(1, 4), max_size=3), reduction=st.sampled_from(REDUCTIONS),
       broadcast=st.booleans(), seed=st.integers(0, 2**16))
def test_regression_loss_matches_torch(name, dtype, shape, reduction, broadcast, seed):
    rng = np.random.default_rng(seed)
    x = np.asarray(rng.standard_normal(shape) * 2, dtype=dtype)
    target_shape = shape[1:] if broadcast and shape else shape  # broadcast: torch warns
    t = np.asarray(rng.standard_normal(target_shape) * 2, dtype=dtype)
    if x.size and broadcast is False:  # kinks: |x - t| exactly 0 or beta/delta
        t.reshape(-1)[0] = x.reshape(-1)[0]

    def fn(lib, x, t):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return REGRESSION[name](lib.nn.functional, x, t, reduction)
    check_op(fn, [x, t])


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_elementwise_weight_matches_torch(name, reduction):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((3, 4)), rng.standard_normal((3, 4)), rng.random((3, 4))]
    check_op(lambda lib, x, t, w: getattr(lib.nn.functional, name)(
        x, t, reduction=reduction, weight=w), arrays)


def test_size_mismatch_warns_as_torch():
    x, t = tinygrad_edu.randn(3, 1), tinygrad_edu.randn(3)
    with pytest.warns(UserWarning, match=r"Using a target size \(torch.Size\(\[3\]\)\) that is "
                                         r"different to the input size \(torch.Size\(\[3, 1\]\)\)"):
        F.mse_loss(x, t)


def test_legacy_size_average_and_reduce_map_to_a_reduction():
    x, t = np.arange(6.0).reshape(2, 3), np.ones((2, 3))
    for size_average, reduce in [(None, False), (False, None), (True, True)]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check_op(lambda lib, x, t: lib.nn.functional.mse_loss(
                x, t, size_average=size_average, reduce=reduce), [x, t])


# ----------------------------------------------------------------------------- classification

@st.composite
def class_cases(draw, dtype):
    classes = draw(st.integers(1, 5))
    layout = draw(st.sampled_from(["flat", "flat", "unbatched", "spatial"]))
    batch = draw(st.integers(1, 4))
    spatial = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=2))) \
        if layout == "spatial" else ()
    shape = (classes,) if layout == "unbatched" else (batch, classes) + spatial
    target_shape = () if layout == "unbatched" else (batch,) + spatial
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    scale = draw(st.sampled_from([1.0, 5.0])) if dtype == "float32" else \
        draw(st.sampled_from([1.0, 5.0, 1e4]))
    logits = (rng.standard_normal(shape) * scale).astype(dtype)
    labels = rng.integers(0, classes, target_shape)
    ignore = draw(st.sampled_from(["default", "none_hit", "some", "all"]))
    ignore_index = -100
    if ignore != "default":
        ignore_index = int(rng.integers(0, classes)) if ignore != "none_hit" else classes + 3
        if ignore == "all":
            labels = np.full(target_shape, ignore_index)
        elif ignore == "some" and labels.size:
            labels.reshape(-1)[0] = ignore_index
    weight = rng.random(classes).astype(dtype) + 0.1 if draw(st.booleans()) else None
    return dict(logits=logits, labels=labels, ignore_index=ignore_index, weight=weight,
                reduction=draw(st.sampled_from(REDUCTIONS)))


def _class_check(name, case, **extra):
    labels = case["labels"]
    options = dict(ignore_index=case["ignore_index"], reduction=case["reduction"], **extra)
    arrays, needs = [case["logits"]], [True]
    if case["weight"] is not None:  # torch has no gradient for the class weights
        arrays.append(case["weight"])
        needs.append(False)

    def fn(lib, x, weight=None):
        return getattr(lib.nn.functional, name)(x, lib.tensor(labels), weight=weight, **options)
    check_op(fn, arrays, requires_grad=needs)


@pytest.mark.parametrize("dtype", DTYPES)
@given(data=st.data())
def test_nll_loss_matches_torch(dtype, data):
    case = data.draw(class_cases(dtype), label="case")
    _class_check("nll_loss", case)


@pytest.mark.parametrize("dtype", DTYPES)
@given(data=st.data(), smoothing=st.sampled_from([0.0, 0.0, 0.1, 0.5, 1.0]))
def test_cross_entropy_matches_torch(dtype, data, smoothing):
    case = data.draw(class_cases(dtype), label="case")
    _class_check("cross_entropy", case, label_smoothing=smoothing)


@pytest.mark.parametrize("dtype", DTYPES)
@given(classes=st.integers(1, 5), lead=st.sampled_from([(), (3,), (2, 2), (2, 3)]),
       reduction=st.sampled_from(REDUCTIONS), smoothing=st.sampled_from([0.0, 0.2]),
       weighted=st.booleans(), seed=st.integers(0, 2**16))
def test_cross_entropy_with_probabilities_matches_torch(dtype, classes, lead, reduction,
                                                       smoothing, weighted, seed):
    rng = np.random.default_rng(seed)
    shape = lead[:1] + (classes,) + lead[1:]
    logits = (rng.standard_normal(shape) * 3).astype(dtype)
    probabilities = rng.random(shape)
    probabilities = (probabilities / probabilities.sum(axis=0 if not lead else 1,
                                                       keepdims=True)).astype(dtype)
    arrays, needs = [logits, probabilities], [True, True]
    if weighted:
        arrays.append((rng.random(classes) + 0.5).astype(dtype))
        needs.append(False)
    check_op(lambda lib, x, p, w=None: lib.nn.functional.cross_entropy(
        x, p, weight=w, reduction=reduction, label_smoothing=smoothing), arrays,
        requires_grad=needs)


def test_cross_entropy_is_finite_and_equal_to_torch_for_huge_logits():
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [3.0, 1e4, 1e4 - 2]])
    labels = np.array([1, 0, 2])
    for dtype in DTYPES:
        check_op(lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor(labels)),
                 [logits.astype(dtype)])
    loss = F.cross_entropy(tinygrad_edu.tensor(logits, requires_grad=True),
                           tinygrad_edu.tensor(labels))
    assert np.isfinite(loss.item())


def test_classification_graph_names_match_torch():
    def names(lib):
        f = lib.nn.functional
        x = lib.randn(4, 3, requires_grad=True)
        x4 = lib.randn(2, 3, 2, 2, requires_grad=True)
        y, y4 = lib.tensor([0, 2, 1, 1]), lib.zeros(2, 2, 2, dtype=lib.int64)
        return [type(out.grad_fn).__name__ for out in (
            f.cross_entropy(x, y), f.nll_loss(x, y), f.nll_loss(x4, y4),
            f.mse_loss(x, x.detach()), f.smooth_l1_loss(x, x.detach()),
            f.huber_loss(x, x.detach()), f.l1_loss(x, x.detach()),
            f.binary_cross_entropy(x.sigmoid().detach().requires_grad_(), x.detach() * 0),
            f.binary_cross_entropy_with_logits(x, x.detach() * 0))]
    assert names(tinygrad_edu) == names(torch)


# ----------------------------------------------------------------------------- binary

@pytest.mark.parametrize("dtype", DTYPES)
@given(shape=st.lists(st.integers(1, 4), max_size=3), reduction=st.sampled_from(REDUCTIONS),
       weighted=st.booleans(), extremes=st.booleans(), seed=st.integers(0, 2**16))
def test_binary_cross_entropy_matches_torch(dtype, shape, reduction, weighted, extremes, seed):
    rng = np.random.default_rng(seed)
    p = np.asarray(rng.uniform(0.02, 0.98, shape))
    t = np.asarray(rng.random(shape))
    if extremes and p.size:  # log(0) is clamped to -100; the gradient's denominator to 1e-12
        p.reshape(-1)[0] = 0.0
        p.reshape(-1)[-1] = 1.0
        t.reshape(-1)[0] = 0.0
    arrays, needs = [p.astype(dtype), t.astype(dtype)], [True, not extremes]
    if weighted:
        arrays.append(rng.random(shape[-1:]).astype(dtype))  # broadcast over the last axis
        needs.append(False)
    check_op(lambda lib, p, t, w=None: lib.nn.functional.binary_cross_entropy(
        p, t, weight=w, reduction=reduction), arrays, requires_grad=needs)


@pytest.mark.parametrize("dtype", DTYPES)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3),
       reduction=st.sampled_from(REDUCTIONS), weighted=st.booleans(),
       pos_weighted=st.booleans(), scale=st.sampled_from([1.0, 10.0, 100.0]),
       seed=st.integers(0, 2**16))
def test_binary_cross_entropy_with_logits_matches_torch(dtype, shape, reduction, weighted,
                                                        pos_weighted, scale, seed):
    rng = np.random.default_rng(seed)
    arrays = [(rng.standard_normal(shape) * scale).astype(dtype), rng.random(shape).astype(dtype)]
    names = ["x", "t"]
    for flag, name in ((weighted, "weight"), (pos_weighted, "pos_weight")):
        if flag:
            arrays.append((rng.random(shape[-1:]) * 2).astype(dtype))
            names.append(name)

    def fn(lib, x, t, *extra):
        return lib.nn.functional.binary_cross_entropy_with_logits(
            x, t, reduction=reduction, **dict(zip(names[2:], extra)))
    check_op(fn, arrays, requires_grad=[True, True] + [False] * (len(arrays) - 2))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_empty_batches_match_torch(name, reduction):
    """No samples: 'mean' is 0/0 = NaN, 'sum' is 0, 'none' is empty, as in torch."""
    for shape in [(0, 3), (0, 3, 2)]:
        labels = np.zeros((0,) + shape[2:], dtype=np.int64)
        check_op(lambda lib, x: getattr(lib.nn.functional, name)(
            x, lib.tensor(labels), reduction=reduction), [np.zeros(shape)])


@pytest.mark.parametrize("call", [
    lambda f, x, t: f.smooth_l1_loss(x, t, beta=0.5, reduction="none"),
    lambda f, x, t: f.huber_loss(x, t, delta=0.5, reduction="none"),
    lambda f, x, t: f.l1_loss(x, t, reduction="none"),
    lambda f, x, t: f.mse_loss(x, t, reduction="none"),
])
def test_regression_kinks_take_torchs_subgradient(call):
    """x - t exactly 0 and exactly ±0.5 (the beta/delta where the formula switches)."""
    x = np.array([1.0, 1.5, 0.5, -2.0, 3.25])
    t = np.array([1.0, 1.0, 1.0, -2.0, 2.75])
    check_op(lambda lib, x, t: call(lib.nn.functional, x, t), [x, t])


# ----------------------------------------------------------------------------- without torch

def _tensor(array):
    return tinygrad_edu.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


RNG = np.random.default_rng(0)
X, T = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))
LOGITS, LABELS = RNG.standard_normal((4, 3)), tinygrad_edu.tensor([0, 2, 1, 2])
PROBABILITIES = RNG.uniform(0.1, 0.9, (3, 4))
WEIGHT = tinygrad_edu.tensor(RNG.random(3) + 0.5)

PAIRS = {  # losses of (input, target), both differentiable
    "mse_loss": lambda x, t, r: F.mse_loss(x, t, reduction=r),
    "l1_loss": lambda x, t, r: F.l1_loss(x, t, reduction=r),
    "smooth_l1_loss": lambda x, t, r: F.smooth_l1_loss(x, t, reduction=r, beta=0.5),
    "huber_loss": lambda x, t, r: F.huber_loss(x, t, reduction=r, delta=0.5),
    "bce_with_logits": lambda x, t, r: F.binary_cross_entropy_with_logits(
        x, t.sigmoid(), reduction=r, pos_weight=tinygrad_edu.tensor([1.0, 2.0, 0.5, 3.0])),
}


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("name", sorted(PAIRS))
def test_pair_loss_gradients_match_finite_differences(name, reduction):
    assert gradcheck(lambda x, t: PAIRS[name](x, t, reduction), (_tensor(X), _tensor(T)))


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_binary_cross_entropy_gradients_match_finite_differences(reduction):
    assert gradcheck(lambda p, t: F.binary_cross_entropy(p, t, reduction=reduction),
                     (_tensor(PROBABILITIES), _tensor(PROBABILITIES[::-1].copy())))


@pytest.mark.parametrize("options", [dict(), dict(reduction="sum"), dict(reduction="none"),
                                     dict(weight=WEIGHT), dict(ignore_index=2),
                                     dict(label_smoothing=0.3, weight=WEIGHT, ignore_index=0)])
def test_cross_entropy_gradients_match_finite_differences(options):
    assert gradcheck(lambda x: F.cross_entropy(x, LABELS, **options), (_tensor(LOGITS),))
    if "label_smoothing" not in options:
        assert gradcheck(lambda x: F.nll_loss(x, LABELS, **options), (_tensor(LOGITS),))


def test_probability_targets_gradients_match_finite_differences():
    targets = np.random.default_rng(1).random((4, 3))
    assert gradcheck(lambda x, t: F.cross_entropy(x, t, label_smoothing=0.2),
                     (_tensor(LOGITS), _tensor(targets)))


def test_values_worked_by_hand():
    uniform = tinygrad_edu.zeros(2, 5, dtype=tinygrad_edu.float64)
    assert F.cross_entropy(uniform, tinygrad_edu.tensor([1, 4])).item() == \
        pytest.approx(math.log(5), rel=1e-15)
    log_probabilities = tinygrad_edu.tensor([[-1.0, -2.0], [-3.0, -4.0]])
    weight = tinygrad_edu.tensor([1.0, 3.0])
    # mean weighted by the targets' weights: (1*1 + 3*4) / (1 + 3)
    assert F.nll_loss(log_probabilities, tinygrad_edu.tensor([0, 1]), weight=weight).item() \
        == 13 / 4
    assert F.binary_cross_entropy(tinygrad_edu.tensor([0.0]), tinygrad_edu.tensor([1.0])) \
        .item() == 100.0  # log(0) clamped at -100
    all_ignored = F.cross_entropy(uniform.requires_grad_(), tinygrad_edu.tensor([-100, -100]))
    all_ignored.backward()
    assert math.isnan(all_ignored.item()) and uniform.grad.tolist() == [[0.0] * 5] * 2


def test_loss_backward_is_once_differentiable():
    x = _tensor(LOGITS)
    losses = F.cross_entropy(x, LABELS, reduction="none")
    # squared: the gradient reaching the loss depends on x, so it has a graph of its own
    grad, = tinygrad_edu.autograd.grad((losses ** 2).sum(), [x], create_graph=True)
    with pytest.raises(RuntimeError, match="once_differentiable"):
        grad.sum().backward()
