"""The hand-written NumPy models (the bound the benchmarks compare with) compute what torch does."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from benchmarks import models, numpy_reference


@pytest.mark.parametrize("name", models.MODELS)
def test_loss_and_gradients_match_torch(name):
    net = numpy_reference.layers(name, seed=1)
    x, y = models.batch(name, 8, seed=2)
    model = models.build(torch, name)
    params = [p for layer in net if hasattr(layer, "params") for p in layer.params()]
    theirs = list(model.parameters())
    assert [p.shape for p in params] == [tuple(t.shape) for t in theirs]
    _copy_into(model, net)
    loss = numpy_reference.backward(net, x, y)
    expected = torch.nn.functional.cross_entropy(model(torch.from_numpy(x)), torch.from_numpy(y))
    expected.backward()
    assert loss == pytest.approx(expected.item(), rel=1e-5)
    grads = [g for layer in net if hasattr(layer, "grads") for g in layer.grads]
    for mine, their in zip(grads, theirs):
        np.testing.assert_allclose(mine, their.grad.numpy(), rtol=1e-4, atol=1e-6)


def _copy_into(model, net) -> None:
    params = [p for layer in net if hasattr(layer, "params") for p in layer.params()]
    with torch.no_grad():
        for mine, their in zip(params, model.parameters()):
            their.copy_(torch.from_numpy(mine))


def test_three_sgd_momentum_steps_match_torch():
    net = numpy_reference.layers("mlp", seed=4)
    x, y = models.batch("mlp", 16, seed=5)
    model = models.build(torch, "mlp")
    _copy_into(model, net)
    step = numpy_reference.training_step("mlp", x, y, lr=0.1, net=net)
    theirs = models.training_step(torch, model, torch.from_numpy(x), torch.from_numpy(y), lr=0.1)
    for _ in range(3):
        step()
        theirs()
    params = [p for layer in net if hasattr(layer, "params") for p in layer.params()]
    for mine, their in zip(params, model.parameters()):
        np.testing.assert_allclose(mine, their.detach().numpy(), rtol=1e-4, atol=1e-6)
