"""parametrizations.weight_norm and spectral_norm against torch: state_dict keys, values,
gradients; spectral_norm with torch's random u and v copied, over several training steps and in
eval mode."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu


def _twins(name, *args):
    theirs = getattr(torch.nn, name)(*args).double()
    ours = getattr(tinygrad_edu.nn, name)(*args).double()
    ours.load_state_dict({k: tinygrad_edu.tensor(v.numpy()) for k, v in
                          theirs.state_dict().items()})
    return theirs, ours


def _step(theirs, ours, x):
    expected, out = theirs(torch.tensor(x)), ours(tinygrad_edu.tensor(x))
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=1e-12)
    expected.pow(2).sum().backward()
    out.pow(2).sum().backward()
    for (name, mine), (_, their) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(mine.grad.numpy(), their.grad.numpy(), rtol=1e-10,
                                   err_msg=name)


@pytest.mark.parametrize("dim", [0, 1, None])
def test_weight_norm(dim):
    theirs, ours = _twins("Linear", 3, 2)
    torch.nn.utils.parametrizations.weight_norm(theirs, dim=dim)
    tinygrad_edu.nn.utils.parametrizations.weight_norm(ours, dim=dim)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key].numpy(), value.numpy())
    _step(theirs, ours, np.random.default_rng(0).standard_normal((4, 3)))


@pytest.mark.parametrize("dim", [None, 1])
def test_spectral_norm_with_torchs_vectors(dim):
    theirs, ours = _twins("Conv2d", 2, 3, 2)
    torch.nn.utils.parametrizations.spectral_norm(theirs, dim=dim)
    tinygrad_edu.nn.utils.parametrizations.spectral_norm(ours, dim=dim)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: tinygrad_edu.tensor(v.numpy()) for k, v in
                          theirs.state_dict().items()})  # u and v are random: torch's
    x = np.random.default_rng(1).standard_normal((2, 2, 4, 4))
    for _ in range(3):
        _step(theirs, ours, x)
    theirs.eval()
    ours.eval()
    _step(theirs, ours, x)


def test_spectral_norm_of_a_vector_normalizes_it():
    layer = tinygrad_edu.nn.utils.parametrizations.spectral_norm(
        tinygrad_edu.nn.Linear(3, 2), "bias")
    np.testing.assert_allclose(np.linalg.norm(layer.bias.detach().numpy()), 1.0, rtol=1e-6)


def test_spectral_norm_errors_are_torchs(raises_as_torch):
    raises_as_torch(lambda lib: lib.nn.utils.parametrizations.spectral_norm(
        lib.nn.Linear(2, 2), dim=3), "Dimension out of range")
    raises_as_torch(lambda lib: lib.nn.utils.parametrizations.spectral_norm(
        lib.nn.Linear(2, 2), n_power_iterations=0), "Expected n_power_iterations to be positive")
