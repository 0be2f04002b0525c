"""ops/loss.py without torch: finite-difference gradients for inputs and targets, values
worked by hand, and once-differentiable backwards."""
from __future__ import annotations

import math

import numpy as np
import pytest

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from tinygrad_edu.autograd import gradcheck


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
