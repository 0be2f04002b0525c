"""batch_norm and layer_norm against torch: outputs, input/weight/bias gradients, and the running
statistics batch_norm updates in place (momentum, unbiased variance), in training and eval.

Without torch (the last section): finite-difference gradients in training and evaluation,
and the running statistics' update rule."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from parity.check import check_op, compare_arrays
from tinygrad_edu.autograd import gradcheck

DTYPES = ["float64", "float32"]
TOLERANCES = {"float64": (1e-10, 1e-12), "float32": (1e-5, 1e-6)}
# Normalizing divides by σ, which amplifies float32 rounding in the gradient: on a case with
# three close values, torch's float32 dx is 1.4e-6 and ours 1.6e-6 from the float64 truth, so
# the two differ by 3e-6. Gradients in float32 are therefore compared at rtol 1e-4 / atol 1e-5
# (values, and everything in float64, at the usual tolerances).
GRADIENT_TOLERANCES = {"float64": {}, "float32": {"rtol": 1e-4, "atol": 1e-5}}


@st.composite
def batch_norm_cases(draw, dtype):
    channels = draw(st.integers(1, 4))
    spatial = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    small = dtype == "float32"  # few values per channel: float32 sums stay close to exact
    lone = int(np.prod(spatial)) == 1  # then a batch of 1 has 1 value per channel: refused
    batch = draw(st.integers(2 if lone else 1, 3 if small else 5))
    return dict(shape=(batch, channels) + spatial, training=draw(st.booleans()),
                affine=draw(st.booleans()), stats=draw(st.booleans()),
                momentum=draw(st.sampled_from([0.1, 0.5, 1.0])),
                eps=draw(st.sampled_from([1e-5, 1e-3, 0.5])), seed=draw(st.integers(0, 2**16)))


@pytest.mark.parametrize("dtype", DTYPES)
@given(data=st.data())
def test_batch_norm_matches_torch(dtype, data):
    case = data.draw(batch_norm_cases(dtype), label="case")
    if not case["training"]:
        case["stats"] = True  # evaluation needs running statistics
    rng = np.random.default_rng(case["seed"])
    channels = case["shape"][1]
    x = (rng.standard_normal(case["shape"]) * 2 + 1).astype(dtype)
    mean0 = rng.standard_normal(channels).astype(dtype)
    var0 = (rng.random(channels) + 0.5).astype(dtype)
    arrays = [x] + ([rng.standard_normal(channels).astype(dtype) for _ in range(2)]
                    if case["affine"] else [])
    stats = {}

    def fn(lib, x, weight=None, bias=None):
        running = (lib.tensor(mean0.copy()), lib.tensor(var0.copy())) if case["stats"] \
            else (None, None)
        stats[lib.__name__] = running
        return lib.nn.functional.batch_norm(x, *running, weight, bias, training=case["training"],
                                            momentum=case["momentum"], eps=case["eps"])
    check_op(fn, arrays, grad=False)  # the values at the usual tolerance ...
    check_op(fn, arrays, **GRADIENT_TOLERANCES[dtype])  # ... and the gradients
    if case["stats"]:
        for ours, theirs in zip(stats["tinygrad_edu"], stats["torch"]):
            compare_arrays(ours.numpy(), theirs.numpy(), *TOLERANCES[dtype], "running stat")
        if not case["training"]:
            np.testing.assert_array_equal(stats["tinygrad_edu"][0].numpy(), mean0)


def test_running_variance_uses_the_unbiased_estimate():
    x = tinygrad_edu.tensor([[1.0], [2.0], [3.0], [6.0]], dtype=tinygrad_edu.float64)
    mean, var = tinygrad_edu.zeros(1, dtype=tinygrad_edu.float64), \
        tinygrad_edu.ones(1, dtype=tinygrad_edu.float64)
    F.batch_norm(x, mean, var, training=True, momentum=1.0)
    assert mean.tolist() == [3.0]
    assert var.tolist() == [14.0 / 3]  # Σ (x - 3)² / (n - 1)


@st.composite
def layer_norm_cases(draw, dtype):
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=4)))
    if dtype == "float32":  # one value normalized alone: x̂ = 0, and dx = 0 up to torch's
        shape = shape[:-1] + (draw(st.integers(3, 5)),)  # float32 noise times 1/√eps
    normalized = shape[len(shape) - draw(st.integers(1, len(shape))):]
    return shape, normalized, draw(st.booleans()), draw(st.sampled_from([1e-5, 0.1]))


@pytest.mark.parametrize("dtype", DTYPES)
@given(data=st.data(), seed=st.integers(0, 2**16))
def test_layer_norm_matches_torch(dtype, data, seed):
    shape, normalized, affine, eps = data.draw(layer_norm_cases(dtype), label="case")
    rng = np.random.default_rng(seed)
    arrays = [(rng.standard_normal(shape) * 3 - 1).astype(dtype)]
    if affine:
        arrays += [rng.standard_normal(normalized).astype(dtype) for _ in range(2)]
    def fn(lib, x, w=None, b=None):
        return lib.nn.functional.layer_norm(x, normalized, w, b, eps)
    check_op(fn, arrays, grad=False)
    check_op(fn, arrays, **GRADIENT_TOLERANCES[dtype])


def test_normalization_graph_names_match_torch():
    def names(lib):
        x = lib.randn(4, 3, 2, requires_grad=True)
        w, b = lib.ones(3, requires_grad=True), lib.zeros(3, requires_grad=True)
        f = lib.nn.functional
        return [type(f.batch_norm(x, None, None, w, b, training=True).grad_fn).__name__,
                type(f.layer_norm(x, (2,)).grad_fn).__name__]
    assert names(tinygrad_edu) == names(torch)


# ----------------------------------------------------------------------------- without torch

def _tensor(rng, *shape, grad=True):
    return tinygrad_edu.tensor(rng.standard_normal(shape), requires_grad=grad)


@pytest.mark.parametrize("shape", [(4, 3), (3, 2, 4), (2, 3, 2, 2)])
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_gradients_match_finite_differences(shape, training):
    rng = np.random.default_rng(0)
    x, w, b = _tensor(rng, *shape), _tensor(rng, shape[1]), _tensor(rng, shape[1])
    mean = tinygrad_edu.tensor(rng.standard_normal(shape[1]))
    var = tinygrad_edu.tensor(rng.random(shape[1]) + 0.5)
    # statistics are updated on every call: finite differences need them fixed
    assert gradcheck(lambda x, w, b: F.batch_norm(x, mean.clone() if not training else None,
                                                  var.clone() if not training else None, w, b,
                                                  training=training, eps=1e-3), (x, w, b))


@pytest.mark.parametrize("shape,normalized", [((3, 4), (4,)), ((2, 3, 2), (3, 2)),
                                              ((5,), (5,))])
def test_layer_norm_gradients_match_finite_differences(shape, normalized):
    rng = np.random.default_rng(1)
    x, w, b = _tensor(rng, *shape), _tensor(rng, *normalized), _tensor(rng, *normalized)
    assert gradcheck(lambda x, w, b: F.layer_norm(x, normalized, w, b), (x, w, b))
    assert gradcheck(lambda x: F.layer_norm(x, normalized), (x,))


def test_running_statistics_follow_the_momentum_rule():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((6, 2, 3))
    mean, var = np.array([0.5, -1.0]), np.array([2.0, 0.5])
    running_mean, running_var = tinygrad_edu.tensor(mean.copy()), tinygrad_edu.tensor(var.copy())
    out = F.batch_norm(tinygrad_edu.tensor(x), running_mean, running_var, training=True,
                       momentum=0.25, eps=0.0)
    batch_mean, batch_var = x.mean(axis=(0, 2)), x.var(axis=(0, 2), ddof=1)
    np.testing.assert_allclose(running_mean.numpy(), 0.75 * mean + 0.25 * batch_mean)
    np.testing.assert_allclose(running_var.numpy(), 0.75 * var + 0.25 * batch_var)
    normalized = out.numpy()  # training normalizes with the biased variance
    np.testing.assert_allclose(normalized.mean(axis=(0, 2)), 0.0, atol=1e-12)
    np.testing.assert_allclose(normalized.var(axis=(0, 2)), 1.0, rtol=1e-12)


@pytest.mark.parametrize("shape", [(0, 3), (0, 3, 2), (0, 3, 2, 2)])
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.filterwarnings("error")  # no NumPy "Mean of empty slice" escapes
def test_batch_norm_of_an_empty_batch_as_torch(shape, training):
    """An empty batch: an empty output, running statistics untouched (torch still counts the
    batch), zero gradients for weight and bias."""
    results = []
    for lib in (torch, tinygrad_edu):
        layer = {2: lib.nn.BatchNorm1d, 3: lib.nn.BatchNorm1d, 4: lib.nn.BatchNorm2d}[
            len(shape)](3).double()
        layer.train(training)
        x = lib.zeros(*shape, dtype=lib.float64, requires_grad=True)
        y = layer(x)
        y.sum().backward()
        results.append([y.shape, x.grad.shape, layer.weight.grad.numpy(), layer.bias.grad.numpy(),
                        layer.running_mean.numpy(), layer.running_var.numpy(),
                        int(layer.num_batches_tracked)])
    expected, ours = results
    assert tuple(ours[0]) == tuple(expected[0]) and tuple(ours[1]) == tuple(expected[1])
    for a, b in zip(ours[2:6], expected[2:6]):
        np.testing.assert_array_equal(a, b)
    assert ours[6] == expected[6]
