"""ops/normalization.py without torch: finite-difference gradients in training and evaluation,
and the running statistics' update rule."""
from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from tinygrad_edu.autograd import gradcheck


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
