"""nn.utils.parametrize against torch: the class swap, state_dict keys, the property's getter
(gradients into `original`) and setter (right_inverse), stacking, caching, removal."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
from tinygrad_edu.nn.utils import parametrize as P


def _symmetric(lib):
    class Symmetric(lib.nn.Module):
        def forward(self, x):
            return x.triu() + x.triu(1).transpose(0, 1)

        def right_inverse(self, a):
            return a.triu()
    return Symmetric()


def _scaled(lib):
    class Scaled(lib.nn.Module):
        def forward(self, x):
            return x * 2
    return Scaled()


def _pair(lib, square):
    layer = lib.nn.Linear(3, 3).double()
    with lib.no_grad():
        layer.weight.copy_(lib.tensor(square))
        layer.bias.fill_(0.5)
    return layer


SQUARE = np.random.default_rng(0).standard_normal((3, 3))


def test_register_matches_torch_forward_backward_and_keys():
    layers = []
    for lib, parametrize in ((torch, torch.nn.utils.parametrize), (tinygrad_edu, P)):
        layer = _pair(lib, SQUARE)
        parametrize.register_parametrization(layer, "weight", _symmetric(lib))
        parametrize.register_parametrization(layer, "weight", _scaled(lib))
        out = layer(lib.ones(2, 3, dtype=lib.float64)).sum()
        out.backward()
        layers.append((layer, out))
    (theirs, expected), (ours, out) = layers
    assert type(ours).__name__ == type(theirs).__name__ == "ParametrizedLinear"
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert P.is_parametrized(ours) and P.is_parametrized(ours, "weight")
    assert not P.is_parametrized(ours, "bias")
    np.testing.assert_allclose(out.item(), expected.item())
    np.testing.assert_allclose(ours.parametrizations.weight.original.grad.numpy(),
                               theirs.parametrizations.weight.original.grad.numpy())
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy())


def test_assigning_runs_the_right_inverse_and_keeps_the_parameter():
    layer = _pair(tinygrad_edu, SQUARE)
    P.register_parametrization(layer, "weight", _symmetric(tinygrad_edu))
    original = layer.parametrizations.weight.original
    layer.weight = tinygrad_edu.tensor(SQUARE)
    assert layer.parametrizations.weight.original is original
    np.testing.assert_allclose(original.detach().numpy(), np.triu(SQUARE))


def test_cached_computes_once():
    calls = []

    class Counting(tinygrad_edu.nn.Module):
        def forward(self, x):
            calls.append(1)
            return x * 1
    layer = tinygrad_edu.nn.Linear(2, 2)
    P.register_parametrization(layer, "weight", Counting())
    calls.clear()
    with P.cached():
        assert layer.weight is layer.weight
    assert len(calls) == 1
    assert layer.weight is not layer.weight  # outside the block: computed on every access
    assert len(calls) == 3


@pytest.mark.parametrize("leave_parametrized", [True, False])
def test_remove_restores_the_class_and_a_parameter(leave_parametrized):
    layers = []
    for lib, parametrize in ((torch, torch.nn.utils.parametrize), (tinygrad_edu, P)):
        layer = _pair(lib, SQUARE)
        parametrize.register_parametrization(layer, "weight", _scaled(lib))
        parametrize.remove_parametrizations(layer, "weight", leave_parametrized)
        layers.append(layer)
    theirs, ours = layers
    assert type(ours) is tinygrad_edu.nn.Linear and not hasattr(ours, "parametrizations")
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert isinstance(ours.weight, tinygrad_edu.nn.Parameter)
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy())


def test_errors_are_torchs(raises_as_torch):
    def register(lib):
        parametrize = torch.nn.utils.parametrize if lib is torch else P
        parametrize.register_parametrization(lib.nn.Linear(2, 2), "nope", _scaled(lib))

    def remove(lib):
        parametrize = torch.nn.utils.parametrize if lib is torch else P
        parametrize.remove_parametrizations(lib.nn.Linear(2, 2), "weight")
    raises_as_torch(register, "does not have a parameter, a buffer, or a parametrized element")
    raises_as_torch(remove, "does not have a parametrization on weight")
