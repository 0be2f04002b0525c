"""ops/activation.py without torch: first and second derivatives against finite differences,
the subgradient chosen at each kink, and erf against math.erf."""
from __future__ import annotations

import math

import numpy as np
import pytest

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from tinygrad_edu.autograd import gradcheck, gradgradcheck
from tinygrad_edu.ops.activation import Erf, erf

SMOOTH = {
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2),
    "elu": lambda x: F.elu(x, 0.7),
    "gelu": lambda x: F.gelu(x),
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": lambda x: F.silu(x),
    "softplus": lambda x: F.softplus(x, beta=1.5, threshold=4.0),
    "hardtanh": lambda x: F.hardtanh(x, -0.7, 0.9),
    "erf": lambda x: Erf.apply(x),
}


def _away_from_kinks(seed):
    x = np.random.default_rng(seed).uniform(-4, 4, (3, 4))
    x[np.abs(x) < 0.05] += 0.1  # finite differences straddling a kink measure nothing
    for bound in (-0.7, 0.9, 4.0 / 1.5):
        x[np.abs(x - bound) < 0.05] += 0.1
    return tinygrad_edu.tensor(x, requires_grad=True)


@pytest.mark.parametrize("name", sorted(SMOOTH))
def test_gradients_match_finite_differences(name):
    assert gradcheck(SMOOTH[name], (_away_from_kinks(0),))


@pytest.mark.parametrize("name", sorted(SMOOTH))
def test_second_derivatives_match_finite_differences(name):
    assert gradgradcheck(SMOOTH[name], (_away_from_kinks(1),))


@pytest.mark.parametrize("call,at,slope", [
    (lambda x: F.relu(x), 0.0, 0.0),
    (lambda x: F.leaky_relu(x, 0.1), 0.0, 0.1),    # the negative side's slope, as torch
    (lambda x: F.elu(x, 0.5), 0.0, 0.5),           # alpha * exp(0)
    (lambda x: F.hardtanh(x), 1.0, 0.0),           # 0 at both bounds
    (lambda x: F.hardtanh(x), -1.0, 0.0),
    (lambda x: F.relu6(x), 6.0, 0.0),
    (lambda x: F.softplus(x, threshold=2.0), 2.0, 1 / (1 + math.exp(-2.0))),
])
def test_subgradient_at_kinks_is_torchs(call, at, slope):
    x = tinygrad_edu.tensor([at], dtype=tinygrad_edu.float64, requires_grad=True)
    call(x).backward(tinygrad_edu.ones(1, dtype=tinygrad_edu.float64))
    assert x.grad.tolist() == pytest.approx([slope], rel=1e-15)


def test_relu_passes_the_gradient_of_a_nan_as_torch():
    x = tinygrad_edu.tensor([math.nan, -1.0, 0.0, 2.0], requires_grad=True)
    F.relu(x).backward(tinygrad_edu.ones(4))
    assert x.grad.tolist() == [1.0, 0.0, 0.0, 1.0]  # threshold_backward: 0 only where y <= 0


def test_erf_is_accurate_to_double_precision():
    x = np.concatenate([np.linspace(-7, 7, 20001), [0.0, -0.0, 0.5, 4.0, -4.0, 1e-300, 30.0]])
    expected = np.array([math.erf(v) for v in x])
    assert np.max(np.abs(erf(x) - expected) / np.maximum(np.abs(expected), 1e-300)) < 2e-15
    special = erf(np.array([np.inf, -np.inf, np.nan]))
    assert special[0] == 1.0 and special[1] == -1.0 and np.isnan(special[2])


def test_gelu_and_silu_are_finite_at_extremes():
    x = tinygrad_edu.tensor([-1e4, -50.0, 50.0, 1e4], dtype=tinygrad_edu.float64,
                            requires_grad=True)
    for call in (F.gelu, F.silu, F.elu, F.softplus):
        y = call(x)
        y.backward(tinygrad_edu.ones_like(y))
        assert np.isfinite(y.numpy(force=True)).all() and np.isfinite(x.grad.numpy()).all()
        x.grad = None
